namespace NlbTools.Client.Credentials
{
    /// <summary>The role to assume, for AssumeRole (RamRoleArn, ChainableRamRoleArn) and AssumeRoleWithOIDC.</summary>
    public sealed class StsRoleOptions
    {
        public string RoleArn { get; set; } = "";
        /// <summary>Null: ALIBABA_CLOUD_ROLE_SESSION_NAME, else "nlbtools-&lt;unix ms&gt;".</summary>
        public string? RoleSessionName { get; set; }
        /// <summary>Lifetime of the temporary credentials; the official default is 3600, the minimum 900.</summary>
        public int DurationSeconds { get; set; } = 3600;
        /// <summary>An optional policy (JSON) that narrows the role's permissions.</summary>
        public string? Policy { get; set; }
        /// <summary>AssumeRole only: the external id the role's trust policy may demand.</summary>
        public string? ExternalId { get; set; }
        /// <summary>sts.&lt;region&gt;.aliyuncs.com; null: ALIBABA_CLOUD_STS_REGION, else sts.aliyuncs.com.</summary>
        public string? StsRegionId { get; set; }
        /// <summary>sts-vpc.&lt;region&gt;.aliyuncs.com (needs a region); also ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true.</summary>
        public bool EnableVpc { get; set; }
    }
}
