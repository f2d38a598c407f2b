using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NlbTools.Client.Models;

namespace NlbTools
{
    public sealed class NlbSecurityPolicy
    {
        public string? SecurityPolicyId { get; set; }
        public string? SecurityPolicyName { get; set; }
        public string? SecurityPolicyStatus { get; set; }
        /// <summary>TLS versions (the API sends one comma-separated string).</summary>
        public TextList<string> TlsVersions { get; set; } = new TextList<string>(null, ",");
        public TextList<string> Ciphers { get; set; } = new TextList<string>(null, ",");
        /// <summary>True for the built-in tls_cipher_policy_* policies (ListSystemSecurityPolicy).</summary>
        public bool IsSystem { get; set; }
        public TextList<RelatedListener>? RelatedListeners { get; set; }
        public string? ResourceGroupId { get; set; }
        public string? RegionId { get; set; }
        public TextList<Tag>? Tags { get; set; }

        // Table headers as properties, so Sort-Object Port and Where-Object Status -eq Stopped work. Hidden: Get-Member,
        // Format-List * and Export-Csv show the API's own names. C# rather than a types file, which costs ~100 ms at import.
        [Hidden] public string? Name { get => SecurityPolicyName; set => SecurityPolicyName = value; }
        [Hidden] public string? Status { get => SecurityPolicyStatus; set => SecurityPolicyStatus = value; }
        [Hidden] public bool System { get => IsSystem; set => IsSystem = value; }
        [Hidden] public int CipherCount => Ciphers.Count;

        public override string ToString() => SecurityPolicyId ?? "";

        internal static NlbSecurityPolicy From(SecurityPolicy p, string? regionId, bool isSystem) => new NlbSecurityPolicy
        {
            SecurityPolicyId = p.SecurityPolicyId, SecurityPolicyName = p.SecurityPolicyName, SecurityPolicyStatus = p.SecurityPolicyStatus,
            TlsVersions = Split(p.TlsVersion), Ciphers = Split(p.Ciphers), IsSystem = isSystem, RelatedListeners = TextList<RelatedListener>.Ids(p.RelatedListeners),
            ResourceGroupId = p.ResourceGroupId, RegionId = string.IsNullOrEmpty(p.RegionId) ? regionId : p.RegionId, Tags = TextList<Tag>.Pairs(p.Tags),
        };

        private static TextList<string> Split(string? list)
            => new TextList<string>(list?.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0), ",");
    }
}
