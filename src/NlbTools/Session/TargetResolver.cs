using System;
using NlbTools.Client.Credentials;

namespace NlbTools.Session
{
    /// <summary>What one call names itself (cmdlet parameters, or what has been typed so far for a completer).</summary>
    internal sealed class TargetRequest
    {
        /// <summary>Credentials given on the call (Connect-Nlb -AccessKeyId, the emulator's key); beats -Profile.</summary>
        public ICredentialsProvider? Credentials { get; set; }
        public string? Profile { get; set; }
        public string? RegionId { get; set; }
        public Uri? Endpoint { get; set; }
    }

    /// <summary>Credentials, region and endpoint for a call, and whether the credentials are the default chain.</summary>
    internal sealed class ResolvedTarget
    {
        public ResolvedTarget(ICredentialsProvider provider, bool isDefaultChain, string? regionId, Uri? endpoint, string? profileWithoutRegion = null)
        {
            ProfileWithoutRegion = profileWithoutRegion;
            Provider = provider;
            IsDefaultChain = isDefaultChain;
            RegionId = regionId;
            Endpoint = endpoint;
        }

        public ICredentialsProvider Provider { get; }
        public bool IsDefaultChain { get; }
        public string? RegionId { get; }
        public Uri? Endpoint { get; }

        /// <summary>
        /// The profile named on the call when neither it, -RegionId nor the region variables give a region. Such a
        /// call fails even with an endpoint (requests carry the region) and never borrows another region.
        /// </summary>
        public string? ProfileWithoutRegion { get; }

        /// <summary>A request needs a region to find its endpoint, unless an endpoint was given.</summary>
        public bool CanAddress => RegionId != null || Endpoint != null;
    }

    /// <summary>
    /// The precedence rule of the README and about_NlbTools, in one place, for each of credentials, region and
    /// endpoint: a parameter on the call, then the session context (Connect-Nlb, Start-NlbEmulator -Connect),
    /// then the environment, then the profile files (the last two through the default chain and the default
    /// region, <see cref="ITargetSources"/>). A profile named on the call is a parameter: its key and its
    /// region_id beat the session's. Used by every API cmdlet, the completers, Connect-Nlb and Start-NlbEmulator.
    /// </summary>
    internal sealed class TargetResolver
    {
        private readonly ITargetSources _sources;
        private string? _defaultRegion;
        private bool _defaultRegionRead;

        public TargetResolver(ITargetSources sources) => _sources = sources ?? throw new ArgumentNullException(nameof(sources));

        /// <summary>
        /// Throws NlbCredentialsException for a profile that does not exist. <paramref name="fallbackRegion"/> serves
        /// calls that work against any region (DescribeRegions) when nothing names one and no endpoint is set.
        /// </summary>
        public ResolvedTarget Resolve(TargetRequest call, SessionContext? session, string? fallbackRegion = null)
        {
            if (call == null) throw new ArgumentNullException(nameof(call));
            var profile = call.Credentials == null && call.Profile != null ? _sources.Profile(call.Profile) : null;

            ICredentialsProvider? provider = call.Credentials ?? profile?.Provider ?? session?.Provider;
            var isDefaultChain = provider == null;
            provider ??= _sources.DefaultChain();

            // A named profile without region_id takes the region variables, never the session's or the current
            // profile's: that region belongs to other credentials. No region then means "say how to set one".
            var region = profile != null
                ? Given(call.RegionId) ?? Given(profile.RegionId) ?? Given(_sources.EnvironmentRegionId())
                : Given(call.RegionId) ?? Given(session?.RegionId) ?? DefaultRegion();
            var endpoint = call.Endpoint ?? session?.Endpoint;
            if (endpoint == null) region ??= Given(fallbackRegion);
            return new ResolvedTarget(provider, isDefaultChain, region, endpoint, profile != null && region == null ? call.Profile : null);
        }

        /// <summary>Read once per resolver (one per command): it may read the aliyun CLI's config file.</summary>
        private string? DefaultRegion()
        {
            if (!_defaultRegionRead)
            {
                _defaultRegion = Given(_sources.DefaultRegionId());
                _defaultRegionRead = true;
            }
            return _defaultRegion;
        }

        private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
