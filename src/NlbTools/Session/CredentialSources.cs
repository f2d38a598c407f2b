using System;
using System.Collections.Generic;
using NlbTools.Client.Credentials;

namespace NlbTools.Session
{
    /// <summary>
    /// The one place the cmdlets ask where credentials and the default region come from (CredentialsResolver).
    /// Providers are remembered so that the clients built on them, and the credentials they cache, are reused.
    /// </summary>
    internal static class CredentialSources
    {
        private static readonly object s_gate = new object();
        private static readonly Dictionary<string, ResolvedProfile> s_profiles = new Dictionary<string, ResolvedProfile>(StringComparer.Ordinal);
        private static ICredentialsProvider? s_defaultChain;

        /// <summary>The default chain (environment, OIDC, CLI profile, ini file, ECS role, URI), built once.</summary>
        public static ICredentialsProvider DefaultChain()
        {
            lock (s_gate)
            {
                return s_defaultChain ??= CredentialsResolver.Default.DefaultChain();
            }
        }

        /// <summary>A named aliyun CLI or ini profile. Throws NlbCredentialsException when there is none.</summary>
        public static ResolvedProfile Profile(string name)
        {
            lock (s_gate)
            {
                if (!s_profiles.TryGetValue(name, out var profile))
                {
                    profile = CredentialsResolver.Default.Profile(name);
                    s_profiles[name] = profile;
                }
                return profile;
            }
        }

        /// <summary>
        /// Region variables, then the current CLI profile's region_id. A config file that cannot be read gives no
        /// region rather than an unhandled exception: the region is optional (-RegionId, Connect-Nlb), and when
        /// the file is where the credentials come from, resolving them reports what is wrong with it.
        /// </summary>
        public static string? DefaultRegionId()
        {
            try
            {
                return CredentialsResolver.Default.DefaultRegionId();
            }
            catch (NlbCredentialsException)
            {
                return null;
            }
        }

        /// <summary>The region for a named profile: its region_id, else the region variables; never another profile's.</summary>
        public static string? ProfileRegionId(ResolvedProfile profile)
            => profile.RegionId ?? CredentialsResolver.Default.EnvironmentRegionId();

        /// <summary>Forget what was resolved (Disconnect-Nlb), so changed variables and files are read again.</summary>
        public static void Reset()
        {
            lock (s_gate)
            {
                s_defaultChain = null;
                s_profiles.Clear();
            }
        }
    }
}
