using System;
using System.Collections.Generic;
using System.Globalization;

namespace NlbTools.Client.Credentials
{
    /// <summary>Turns one CLI profile or one ini section into a provider, mode by mode, as the credentials libraries map them.</summary>
    internal static class ProfileProviders
    {
        private const string SupportedModes = "AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, RamRoleArnWithRoleName, CredentialsURI, OIDC, External";
        private const string SupportedTypes = "access_key, ram_role_arn, ecs_ram_role, oidc_role_arn";

        public static ICredentialsProvider FromCli(CliConfigFile file, CliProfile profile, CredentialsEnvironment env)
            => FromCli(file, profile, env, new List<string>());

        private static ICredentialsProvider FromCli(CliConfigFile file, CliProfile profile, CredentialsEnvironment env, List<string> visiting)
        {
            var source = $"cli-profile:{profile.Name} ({profile.Mode})";
            switch (profile.Mode)
            {
                case "AK":
                    return new StaticCredentialsProvider(profile.Required("access_key_id"), profile.Required("access_key_secret"), null, source);
                case "StsToken":
                    return new StaticCredentialsProvider(profile.Required("access_key_id"), profile.Required("access_key_secret"),
                        profile.Required("sts_token"), source);
                case "RamRoleArn":
                    var keys = new StaticCredentialsProvider(profile.Required("access_key_id"), profile.Required("access_key_secret"),
                        profile["sts_token"], source + " source keys");
                    return new RamRoleArnCredentialsProvider(keys, CliRole(profile, withExternalId: true), env, source);
                case "ChainableRamRoleArn":
                    var sourceName = profile.Required("source_profile");
                    visiting.Add(profile.Name);
                    if (visiting.Contains(sourceName))
                        throw new NlbCredentialsException($"{file.FilePath}: source_profile forms a loop ({string.Join(" -> ", visiting)} -> {sourceName}).");
                    var sourceProvider = FromCli(file, file.Get(sourceName), env, visiting);
                    return new RamRoleArnCredentialsProvider(sourceProvider, CliRole(profile, withExternalId: true), env, source);
                case "EcsRamRole":
                    return new EcsRamRoleCredentialsProvider(profile["ram_role_name"], env, source);
                case "RamRoleArnWithRoleName": // deprecated in the CLI: the instance's role assumes ram_role_arn
                    var instanceRole = new EcsRamRoleCredentialsProvider(profile["ram_role_name"], env, source + " instance role");
                    return new RamRoleArnCredentialsProvider(instanceRole, CliRole(profile, withExternalId: true), env, source);
                case "CredentialsURI":
                    var uri = profile["credentials_uri"] ?? env.Variable("ALIBABA_CLOUD_CREDENTIALS_URI")
                        ?? throw new NlbCredentialsException($"{file.FilePath}: profile '{profile.Name}' (mode CredentialsURI) has no credentials_uri, and ALIBABA_CLOUD_CREDENTIALS_URI is not set.");
                    return new CredentialsUriProvider(uri, env, source);
                case "OIDC":
                    return new OidcRoleArnCredentialsProvider(profile.Required("oidc_provider_arn"), profile.Required("oidc_token_file"),
                        CliRole(profile, withExternalId: false), env, source);
                case "External":
                    return new ExternalProcessCredentialsProvider(profile.Required("process_command"), env, source);
                default:
                    throw new NlbCredentialsException(
                        $"{file.FilePath}: profile '{profile.Name}' uses mode {profile.Mode}, which NlbTools does not support (supported: {SupportedModes}).");
            }
        }

        private static StsRoleOptions CliRole(CliProfile profile, bool withExternalId) => new StsRoleOptions
        {
            RoleArn = profile.Required("ram_role_arn"),
            RoleSessionName = profile["ram_session_name"],
            DurationSeconds = Duration(profile["expired_seconds"], $"{profile.FilePath}: profile '{profile.Name}' expired_seconds"),
            Policy = profile["policy"],
            ExternalId = withExternalId ? profile["external_id"] : null,
            StsRegionId = profile["sts_region"],
            EnableVpc = IsTrue(profile["enable_vpc"]),
        };

        public static ICredentialsProvider FromIni(IniSection section, CredentialsEnvironment env)
        {
            if (string.Equals(section["enable"], "false", StringComparison.OrdinalIgnoreCase))
                throw new NlbCredentialsException($"{section.FilePath}: [{section.Name}] is disabled (enable = false).");
            var type = section.Type ?? throw new NlbCredentialsException($"{section.FilePath}: [{section.Name}] (line {section.Line}) has no type.");
            var source = $"ini-profile:{section.Name} ({type})";
            switch (type)
            {
                case "access_key":
                    return new StaticCredentialsProvider(section.Required("access_key_id"), section.Required("access_key_secret"), null, source);
                case "ram_role_arn":
                    var keys = new StaticCredentialsProvider(section.Required("access_key_id"), section.Required("access_key_secret"), null, source + " source keys");
                    return new RamRoleArnCredentialsProvider(keys, IniRole(section, withExternalId: true), env, source);
                case "ecs_ram_role":
                    return new EcsRamRoleCredentialsProvider(section["role_name"], env, source);
                case "oidc_role_arn":
                    // The C# library names the key oidc_token_file_path; oidc_token_file (the CLI's name) is accepted too.
                    var tokenFile = section["oidc_token_file_path"] ?? section["oidc_token_file"] ?? env.Variable("ALIBABA_CLOUD_OIDC_TOKEN_FILE")
                        ?? throw new NlbCredentialsException($"{section.FilePath}: [{section.Name}] (type oidc_role_arn) has no oidc_token_file_path.");
                    return new OidcRoleArnCredentialsProvider(section.Required("oidc_provider_arn"), tokenFile, IniRole(section, withExternalId: false), env, source);
                default:
                    throw new NlbCredentialsException(
                        $"{section.FilePath}: [{section.Name}] has type {type}, which NlbTools does not support (supported: {SupportedTypes}).");
            }
        }

        private static StsRoleOptions IniRole(IniSection section, bool withExternalId) => new StsRoleOptions
        {
            RoleArn = section.Required("role_arn"),
            RoleSessionName = section["role_session_name"],
            DurationSeconds = Duration(section["duration_seconds"], $"{section.FilePath}: [{section.Name}] duration_seconds"),
            Policy = section["policy"],
            ExternalId = withExternalId ? section["external_id"] : null,
            StsRegionId = section["sts_region"],
            EnableVpc = IsTrue(section["enable_vpc"]),
        };

        private static int Duration(string? value, string field)
        {
            if (value == null || value == "0") return 3600;
            if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) || seconds < 900)
                throw new NlbCredentialsException($"{field} must be a whole number of seconds, at least 900.");
            return seconds;
        }

        private static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
    }
}
