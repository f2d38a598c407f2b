using System;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// A key pair with an optional STS token. The secret and the token are only reachable through
    /// methods that say so, and ToString() shows the masked AccessKeyId only.
    /// </summary>
    public sealed class NlbCredentials
    {
        private readonly string _accessKeySecret;
        private readonly string? _securityToken;

        public NlbCredentials(string accessKeyId, string accessKeySecret, string? securityToken = null,
            DateTimeOffset? expiration = null, string source = "explicit")
        {
            if (string.IsNullOrWhiteSpace(accessKeyId)) throw new ArgumentException("AccessKeyId is empty.", nameof(accessKeyId));
            if (string.IsNullOrEmpty(accessKeySecret)) throw new ArgumentException("AccessKeySecret is empty.", nameof(accessKeySecret));
            CredentialValues.Check("AccessKeyId", accessKeyId, source);
            CredentialValues.Check("AccessKeySecret", accessKeySecret, source);
            CredentialValues.Check("SecurityToken", securityToken, source);
            AccessKeyId = accessKeyId;
            _accessKeySecret = accessKeySecret;
            _securityToken = string.IsNullOrEmpty(securityToken) ? null : securityToken;
            Expiration = expiration;
            Source = source;
        }

        public string AccessKeyId { get; }
        public bool HasSecurityToken => _securityToken != null;
        public DateTimeOffset? Expiration { get; }
        public string Source { get; }

        /// <summary>LTAI****abcd: the first four and the last four characters.</summary>
        public string MaskedAccessKeyId => Mask(AccessKeyId);

        internal string RevealSecret() => _accessKeySecret;
        internal string? RevealSecurityToken() => _securityToken;

        public static string Mask(string? accessKeyId)
        {
            if (string.IsNullOrEmpty(accessKeyId)) return "";
            if (accessKeyId!.Length <= 8) return new string('*', accessKeyId.Length);
            return accessKeyId.Substring(0, 4) + "****" + accessKeyId.Substring(accessKeyId.Length - 4);
        }

        public override string ToString() => $"{MaskedAccessKeyId} ({Source}{(HasSecurityToken ? ", STS" : "")})";
    }
}
