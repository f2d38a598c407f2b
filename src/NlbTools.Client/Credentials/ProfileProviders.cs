using System;
using System.Collections.Generic;

namespace NlbTools.Client.Credentials
{
    /// <summary>Turns one CLI profile or one ini section into a provider, mode by mode, as the credentials libraries map them.</summary>
    internal static class ProfileProviders
    {
        public static ICredentialsProvider FromCli(CliConfigFile file, CliProfile profile, CredentialsEnvironment env)
            => FromCli(file, profile, env, new HashSet<string>(StringComparer.Ordinal));

        private static ICredentialsProvider FromCli(CliConfigFile file, CliProfile profile, CredentialsEnvironment env, HashSet<string> visiting)
        {
            var source = $"cli-profile:{profile.Name} ({profile.Mode})";
            switch (profile.Mode)
            {
                case "AK":
                    return new StaticCredentialsProvider(profile.Required("access_key_id"), profile.Required("access_key_secret"), null, source);
                case "StsToken":
                    return new StaticCredentialsProvider(profile.Required("access_key_id"), profile.Required("access_key_secret"),
                        profile.Required("sts_token"), source);
                default:
                    throw new NlbCredentialsException(
                        $"{file.FilePath}: profile '{profile.Name}' uses mode {profile.Mode}, which NlbTools does not support " +
                        "(supported: AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, CredentialsURI, OIDC, External).");
            }
        }

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
                default:
                    throw new NlbCredentialsException(
                        $"{section.FilePath}: [{section.Name}] has type {type}, which NlbTools does not support " +
                        "(supported: access_key, ram_role_arn, ecs_ram_role, oidc_role_arn).");
            }
        }
    }
}
