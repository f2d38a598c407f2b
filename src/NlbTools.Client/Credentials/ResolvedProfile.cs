namespace NlbTools.Client.Credentials
{
    /// <summary>A named profile (aliyun CLI config.json or the ini file) turned into a provider, with its region.</summary>
    public sealed class ResolvedProfile
    {
        public ResolvedProfile(ICredentialsProvider provider, string? regionId, string source)
        {
            Provider = provider;
            RegionId = regionId;
            Source = source;
        }

        public ICredentialsProvider Provider { get; }
        /// <summary>The CLI profile's region_id (or the ini section's region_id), if any.</summary>
        public string? RegionId { get; }
        /// <summary>For display, e.g. "cli-profile:prod (RamRoleArn)". Never a secret.</summary>
        public string Source { get; }

        public override string ToString() => Source;
    }
}
