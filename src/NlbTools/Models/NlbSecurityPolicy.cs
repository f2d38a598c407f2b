using System;
using System.Collections.Generic;
using System.Linq;
using NlbTools.Client.Models;

namespace NlbTools
{
    public sealed class NlbSecurityPolicy
    {
        public string? SecurityPolicyId { get; set; }
        public string? SecurityPolicyName { get; set; }
        public string? SecurityPolicyStatus { get; set; }
        /// <summary>TLS versions (the API sends one comma-separated string).</summary>
        public string[] TlsVersions { get; set; } = Array.Empty<string>();
        public string[] Ciphers { get; set; } = Array.Empty<string>();
        /// <summary>True for the built-in tls_cipher_policy_* policies (ListSystemSecurityPolicy).</summary>
        public bool IsSystem { get; set; }
        public List<RelatedListener>? RelatedListeners { get; set; }
        public string? ResourceGroupId { get; set; }
        public string? RegionId { get; set; }
        public List<Tag>? Tags { get; set; }

        public override string ToString() => SecurityPolicyId ?? "";

        internal static NlbSecurityPolicy From(SecurityPolicy p, string? regionId, bool isSystem) => new NlbSecurityPolicy
        {
            SecurityPolicyId = p.SecurityPolicyId, SecurityPolicyName = p.SecurityPolicyName, SecurityPolicyStatus = p.SecurityPolicyStatus,
            TlsVersions = Split(p.TlsVersion), Ciphers = Split(p.Ciphers), IsSystem = isSystem, RelatedListeners = p.RelatedListeners,
            ResourceGroupId = p.ResourceGroupId, RegionId = string.IsNullOrEmpty(p.RegionId) ? regionId : p.RegionId, Tags = p.Tags,
        };

        private static string[] Split(string? list)
            => list == null ? Array.Empty<string>() : list.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
    }
}
