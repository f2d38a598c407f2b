using System;
using System.Collections.Generic;
using NlbTools.Client.Credentials;

namespace NlbTools.Session
{
    /// <summary>Where <see cref="TargetResolver"/> looks after the call's parameters and the session context.</summary>
    internal interface ITargetSources
    {
        /// <summary>The default chain: the environment first, then the profile files (and the rest of the official chain).</summary>
        ICredentialsProvider DefaultChain();

        /// <summary>A named aliyun CLI or ini profile. Throws NlbCredentialsException when there is none.</summary>
        ResolvedProfile Profile(string name);

        /// <summary>The region variables, then the current CLI profile's region_id; null when none.</summary>
        string? DefaultRegionId();

        /// <summary>The region variables only (ALIBABA_CLOUD_REGION_ID and its aliases); null when none.</summary>
        string? EnvironmentRegionId();
    }

    /// <summary>
    /// The one place the cmdlets ask where credentials and the default region come from (CredentialsResolver).
    /// Providers are remembered so that the clients built on them, and the credentials they cache, are reused.
    /// </summary>
    internal sealed class CredentialSources : ITargetSources
    {
        private readonly Func<CredentialsResolver> _resolver;
        private readonly object _gate = new object();
        private readonly Dictionary<string, ResolvedProfile> _profiles = new Dictionary<string, ResolvedProfile>(StringComparer.Ordinal);
        private ICredentialsProvider? _defaultChain;

        public CredentialSources(Func<CredentialsResolver> resolver) => _resolver = resolver;

        /// <summary>The process's environment and the user's files, shared by every runspace.</summary>
        public static CredentialSources Shared { get; } = new CredentialSources(() => CredentialsResolver.Default);

        /// <summary>The default chain (environment, OIDC, CLI profile, ini file, ECS role, URI), built once.</summary>
        public ICredentialsProvider DefaultChain()
        {
            lock (_gate)
            {
                return _defaultChain ??= _resolver().DefaultChain();
            }
        }

        public ResolvedProfile Profile(string name)
        {
            lock (_gate)
            {
                if (!_profiles.TryGetValue(name, out var profile))
                {
                    profile = _resolver().Profile(name);
                    _profiles[name] = profile;
                }
                return profile;
            }
        }

        /// <summary>
        /// A config file that cannot be read gives no region rather than an unhandled exception: the region is
        /// optional (-RegionId, Connect-Nlb), and when the file is where the credentials come from, resolving them
        /// reports what is wrong with it.
        /// </summary>
        public string? DefaultRegionId()
        {
            try
            {
                return _resolver().DefaultRegionId();
            }
            catch (NlbCredentialsException)
            {
                return null;
            }
        }

        public string? EnvironmentRegionId() => _resolver().EnvironmentRegionId();

        /// <summary>Forget what was resolved (Disconnect-Nlb), so changed variables and files are read again.</summary>
        public void Reset()
        {
            lock (_gate)
            {
                _defaultChain = null;
                _profiles.Clear();
            }
        }
    }
}
