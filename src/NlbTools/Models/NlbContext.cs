namespace NlbTools
{
    /// <summary>What Get-NlbContext shows. Holds no secret: the AccessKeyId is masked (LTAI****abcd).</summary>
    public sealed class NlbContext
    {
        public string? RegionId { get; set; }
        public string? Endpoint { get; set; }
        /// <summary>Which provider answered, e.g. "explicit", "environment", "cli-profile:prod".</summary>
        public string? CredentialSource { get; set; }
        public string? AccessKeyId { get; set; }
        /// <summary>When the temporary credentials (STS, ECS role, OIDC, URI) expire; they are renewed 180 s before. Null for long-term keys.</summary>
        public System.DateTimeOffset? Expiration { get; set; }
        public string? Profile { get; set; }
        /// <summary>True when Connect-Nlb set it; false when it shows the defaults (environment, profile files).</summary>
        public bool IsConnected { get; set; }
    }
}
