using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// Finds credentials where Alibaba Cloud users already keep them: the default chain in the official order
    /// (nlb-api.md §6.1), a named profile, and the default region.
    /// </summary>
    public sealed class CredentialsResolver
    {
        public CredentialsResolver(CredentialsEnvironment env) => Environment = env;

        /// <summary>A resolver over the process environment (a fresh environment each time).</summary>
        public static CredentialsResolver Default => new CredentialsResolver(CredentialsEnvironment.Default);

        public CredentialsEnvironment Environment { get; }

        /// <summary>
        /// environment, OIDC, CLI profile, ini file, ECS RAM role, credentials URI. Each source is checked when
        /// the chain is first asked, not now; the first that answers is remembered.
        /// </summary>
        public ICredentialsProvider DefaultChain()
        {
            var env = Environment;
            return new CredentialsChain(new (string, ICredentialsProvider)[]
            {
                ("environment", new EnvironmentCredentialsProvider(env)),
                ("oidc", new DeferredCredentialsProvider("oidc", () => BuildOidcFromEnvironment())),
                ("cli-profile", new DeferredCredentialsProvider("cli-profile", () => BuildCurrentCliProfile())),
                ("ini-profile", new DeferredCredentialsProvider("ini-profile", () => BuildIniProfile(env.Variable("ALIBABA_CLOUD_PROFILE") ?? "default"))),
                ("ecs-ram-role", new DeferredCredentialsProvider("ecs-ram-role", () => BuildEcsRamRoleFromEnvironment())),
                ("credentials-uri", new DeferredCredentialsProvider("credentials-uri", () => BuildCredentialsUriFromEnvironment())),
            });
        }

        /// <summary>
        /// A named profile: from the aliyun CLI's config.json when it has one by that name, else from the ini file.
        /// An explicit name is honoured even when ALIBABA_CLOUD_CLI_PROFILE_DISABLED is set (that flag only
        /// keeps the default chain away from the CLI file).
        /// </summary>
        public ResolvedProfile Profile(string name)
        {
            var reasons = new List<string>();
            var known = new List<string>();
            var cliPath = CliConfigFile.PathFor(Environment);
            if (File.Exists(cliPath))
            {
                var file = CliConfigFile.Load(cliPath);
                var profile = file.Find(name);
                if (profile != null)
                {
                    var provider = ProfileProviders.FromCli(file, profile, Environment);
                    return new ResolvedProfile(provider, profile["region_id"], provider.Source);
                }
                reasons.Add($"{cliPath} has no profile '{name}' (its profiles: {Names(file.Profiles.Select(p => p.Name))})");
                known.AddRange(file.Profiles.Select(p => p.Name));
            }
            else
            {
                reasons.Add($"{cliPath} does not exist");
            }

            var iniPath = IniCredentialsFile.PathFor(Environment, out var iniDescribed);
            if (iniPath != null && File.Exists(iniPath))
            {
                var ini = IniCredentialsFile.Load(iniPath);
                var section = ini.Find(name);
                if (section != null)
                {
                    var provider = ProfileProviders.FromIni(section, Environment);
                    return new ResolvedProfile(provider, section["region_id"], provider.Source);
                }
                reasons.Add($"{iniPath} has no section [{name}] (its sections: {Names(ini.Sections.Select(x => x.Name))})");
                known.AddRange(ini.Sections.Select(x => x.Name));
            }
            else
            {
                reasons.Add($"{iniDescribed} does not exist");
            }
            var closest = known.FirstOrDefault(k => string.Equals(k, name, System.StringComparison.OrdinalIgnoreCase))
                          ?? known.FirstOrDefault(k => Anagram(k, name));
            throw new NlbCredentialsException($"Profile '{name}' was not found: {string.Join("; ", reasons)}." +
                                              (closest != null ? $" Did you mean '{closest}'?" : ""));
        }

        /// <summary>The names of the profiles in the aliyun CLI config and the ini file (names only; for completion).</summary>
        public IReadOnlyList<string> ProfileNames()
        {
            var names = new List<string>();
            var cliPath = CliConfigFile.PathFor(Environment);
            if (File.Exists(cliPath)) names.AddRange(CliConfigFile.Load(cliPath).Profiles.Select(p => p.Name));
            var iniPath = IniCredentialsFile.PathFor(Environment, out _);
            if (iniPath != null && File.Exists(iniPath)) names.AddRange(IniCredentialsFile.Load(iniPath).Sections.Select(x => x.Name));
            return names.Distinct(System.StringComparer.Ordinal).ToList();
        }

        /// <summary>Profile names only (never a value), or "none".</summary>
        private static string Names(IEnumerable<string> names)
        {
            var list = names.ToList();
            return list.Count == 0 ? "none" : string.Join(", ", list);
        }

        /// <summary>Same letters, e.g. prdo for prod: the commonest typo of a short name.</summary>
        private static bool Anagram(string a, string b)
            => a.Length == b.Length && a.OrderBy(c => c).SequenceEqual(b.OrderBy(c => c));

        /// <summary>
        /// ALIBABA_CLOUD_REGION_ID and the aliyun CLI's other region variables (ALIBABACLOUD_REGION_ID,
        /// ALICLOUD_REGION_ID, REGION_ID, REGION), then the current CLI profile's region_id; null when none.
        /// </summary>
        public string? DefaultRegionId()
        {
            var fromVariables = EnvironmentRegionId();
            if (fromVariables != null) return fromVariables;
            if (Environment.IsTrue("ALIBABA_CLOUD_CLI_PROFILE_DISABLED")) return null;
            var cliPath = CliConfigFile.PathFor(Environment);
            if (!File.Exists(cliPath)) return null;
            var file = CliConfigFile.Load(cliPath);
            return file.Find(file.SelectProfileName(Environment, null))?["region_id"];
        }

        /// <summary>
        /// The region variables only. A named profile without region_id falls back to these, never to another
        /// profile's region (the CLI's current profile may be a different account).
        /// </summary>
        public string? EnvironmentRegionId()
        {
            foreach (var name in new[] { "ALIBABA_CLOUD_REGION_ID", "ALIBABACLOUD_REGION_ID", "ALICLOUD_REGION_ID", "REGION_ID", "REGION" })
            {
                var value = Environment.Variable(name);
                if (value != null && value.Trim().Length > 0) return value.Trim();
            }
            return null;
        }

        private ICredentialsProvider BuildCurrentCliProfile()
        {
            if (Environment.IsTrue("ALIBABA_CLOUD_CLI_PROFILE_DISABLED"))
                throw new NlbCredentialsException("skipped, ALIBABA_CLOUD_CLI_PROFILE_DISABLED is true.");
            var path = CliConfigFile.PathFor(Environment);
            if (!File.Exists(path)) throw new NlbCredentialsException($"{path} does not exist.");
            var file = CliConfigFile.Load(path);
            return ProfileProviders.FromCli(file, file.Get(file.SelectProfileName(Environment, null)), Environment);
        }

        private ICredentialsProvider BuildIniProfile(string name)
        {
            var path = IniCredentialsFile.PathFor(Environment, out var described);
            if (path == null || !File.Exists(path)) throw new NlbCredentialsException($"{described} does not exist.");
            var file = IniCredentialsFile.Load(path);
            var section = file.Find(name) ?? throw new NlbCredentialsException($"{path} has no section [{name}].");
            return ProfileProviders.FromIni(section, Environment);
        }

        private ICredentialsProvider BuildOidcFromEnvironment()
        {
            var names = new[] { "ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE" };
            var missing = names.Where(n => Environment.Variable(n) == null).ToList();
            if (missing.Count == names.Length)
                throw new NlbCredentialsException("skipped, ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE are not set.");
            if (missing.Count > 0)
                throw new NlbCredentialsException($"skipped, {string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} not set (the others are).");
            var role = new StsRoleOptions { RoleArn = Environment.Variable("ALIBABA_CLOUD_ROLE_ARN")! };
            return new OidcRoleArnCredentialsProvider(Environment.Variable("ALIBABA_CLOUD_OIDC_PROVIDER_ARN")!,
                Environment.Variable("ALIBABA_CLOUD_OIDC_TOKEN_FILE")!, role, Environment);
        }

        private ICredentialsProvider BuildEcsRamRoleFromEnvironment()
        {
            if (Environment.IsTrue("ALIBABA_CLOUD_ECS_METADATA_DISABLED"))
                throw new NlbCredentialsException("skipped, ALIBABA_CLOUD_ECS_METADATA_DISABLED is true.");
            return new EcsRamRoleCredentialsProvider(null, Environment);
        }

        private ICredentialsProvider BuildCredentialsUriFromEnvironment()
        {
            var uri = Environment.Variable("ALIBABA_CLOUD_CREDENTIALS_URI")
                ?? throw new NlbCredentialsException("skipped, ALIBABA_CLOUD_CREDENTIALS_URI is not set.");
            return new CredentialsUriProvider(uri, Environment);
        }
    }
}
