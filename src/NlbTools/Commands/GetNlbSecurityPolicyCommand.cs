using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Client.Models;
using NlbTools.Completers;

namespace NlbTools.Commands
{
    /// <summary>Custom TLS security policies (paged), or with -System the built-in tls_cipher_policy_* ones.</summary>
    [Cmdlet(VerbsCommon.Get, "NlbSecurityPolicy", DefaultParameterSetName = CustomSet)]
    [OutputType(typeof(NlbSecurityPolicy))]
    public sealed class GetNlbSecurityPolicyCommand : NlbApiCmdlet
    {
        private const string CustomSet = "Custom";
        private const string SystemSet = "System";

        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = CustomSet)]
        [IdFromInput(nameof(SecurityPolicyId), FromWholeObjects = true)]
        [ArgumentCompleter(typeof(SecurityPolicyIdCompleter))]
        public string[]? SecurityPolicyId { get; set; }

        // Piped listeners often share a policy: each is written once per command.
        private readonly HashSet<string> _written = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<SecurityPolicy>> _system = new Dictionary<string, List<SecurityPolicy>>(StringComparer.Ordinal);

        [Parameter(ParameterSetName = CustomSet)]
        [ValidateNotNullOrEmpty]
        public string[]? SecurityPolicyName { get; set; }

        [Parameter(ParameterSetName = CustomSet)]
        [ValidateNotNullOrEmpty]
        public string? ResourceGroupId { get; set; }

        [Parameter(ParameterSetName = CustomSet)]
        [ValidateNotNull]
        public Hashtable? Tag { get; set; }

        [Parameter(ParameterSetName = CustomSet)]
        [ValidateRange(1, 100)]
        public int PageSize { get; set; } = 100;

        /// <summary>The built-in policies (ListSystemSecurityPolicy).</summary>
        [Parameter(Mandatory = true, ParameterSetName = SystemSet)]
        public SwitchParameter System { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == SystemSet)
            {
                var systemTarget = ResolveTarget();
                if (systemTarget != null) ListSystem(systemTarget);
                return;
            }
            var given = IdFromInputAttribute.Ids(SecurityPolicyId, out var notAnId);
            if (notAnId && !MyInvocation.ExpectingInput)
            {
                WriteError(IdFromInputAttribute.NotAnIdError(nameof(SecurityPolicyId)));
                return;
            }
            var ids = given?.Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => id.Trim()).Distinct(StringComparer.Ordinal).ToList();
            if (ids == null || ids.Count == 0)
            {
                // A piped object whose SecurityPolicyId is empty (a TCP or UDP listener) has no policy to show;
                // one without the property (a region) lists the region's custom policies.
                if (!notAnId && MyInvocation.BoundParameters.ContainsKey(nameof(SecurityPolicyId))) return;
                var listTarget = ResolveTarget();
                if (listTarget != null) ListCustom(listTarget, null);
                return;
            }
            var target = ResolveTarget();
            if (target == null) return;
            var system = ids.Where(IsSystemId).ToList();
            var custom = ids.Where(id => !IsSystemId(id)).ToList();
            if (system.Count > 0) FindSystem(target, system);
            if (custom.Count > 0) ListCustom(target, custom);
        }

        private void ListSystem(ApiTarget target)
        {
            try
            {
                var answer = Call(ct => target.Client.ListSystemSecurityPolicyAsync(new ListSystemSecurityPolicyRequest { RegionId = target.RegionId }, ct));
                foreach (var policy in answer.SecurityPolicies) WriteObject(NlbSecurityPolicy.From(policy, target.RegionId, isSystem: true));
            }
            catch (NlbException e)
            {
                WriteApiError(e, target.RegionId);
            }
        }

        private void ListCustom(ApiTarget target, List<string>? ids)
        {
            var request = new ListSecurityPolicyRequest
            {
                RegionId = target.RegionId,
                SecurityPolicyIds = ids,
                SecurityPolicyNames = SecurityPolicyName?.ToList(),
                ResourceGroupId = ResourceGroupId,
                Tag = TagFilter.ToTags(Tag),
                MaxResults = PageSize,
            };
            var found = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                var pages = Pages(target.Client.ListSecurityPolicyPager(request));
                foreach (var page in pages)
                    foreach (var policy in page.SecurityPolicies)
                    {
                        if (policy.SecurityPolicyId != null) found.Add(policy.SecurityPolicyId);
                        Write(NlbSecurityPolicy.From(policy, target.RegionId, isSystem: false));
                    }
            }
            catch (NlbException e)
            {
                if (!RegionIsUnknown(target)) WriteApiError(e, target.RegionId);
                return;
            }
            if (found.Count == 0 && RegionIsUnknown(target)) return;
            foreach (var missing in ids?.Where(id => !found.Contains(id)) ?? Enumerable.Empty<string>())
                WriteApiError(NotFound.Error("securityPolicy", "Security policy", missing, target.RegionId), missing);
        }

        /// <summary>System policies asked for by id (a TCPSSL listener's tls_cipher_policy_1_2): one list per region and command.</summary>
        private void FindSystem(ApiTarget target, List<string> ids)
        {
            var key = target.RegionId ?? "";
            if (!_system.TryGetValue(key, out var policies))
            {
                try
                {
                    policies = Call(ct => target.Client.ListSystemSecurityPolicyAsync(new ListSystemSecurityPolicyRequest { RegionId = target.RegionId }, ct)).SecurityPolicies;
                }
                catch (NlbException e)
                {
                    if (!RegionIsUnknown(target)) WriteApiError(e, target.RegionId);
                    return;
                }
                _system[key] = policies;
            }
            foreach (var id in ids)
            {
                var policy = policies.FirstOrDefault(p => string.Equals(p.SecurityPolicyId, id, StringComparison.Ordinal));
                if (policy != null) Write(NlbSecurityPolicy.From(policy, target.RegionId, isSystem: true));
                else WriteApiError(NotFound.Error("securityPolicy", "Security policy", id, target.RegionId), id);
            }
        }

        private void Write(NlbSecurityPolicy policy)
        {
            if (policy.SecurityPolicyId == null || _written.Add(policy.RegionId + "|" + policy.SecurityPolicyId)) WriteObject(policy);
        }

        /// <summary>The built-in policies' ids (ListSystemSecurityPolicy); custom ones start with tls-.</summary>
        internal static bool IsSystemId(string id) => id.StartsWith("tls_cipher_policy_", StringComparison.Ordinal);
    }
}
