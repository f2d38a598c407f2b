using System;
using System.Collections;
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
        [ArgumentCompleter(typeof(SecurityPolicyIdCompleter))]
        public string[]? SecurityPolicyId { get; set; }

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
            var target = ResolveTarget();
            switch (ParameterSetName)
            {
                case SystemSet:
                    ListSystem(target);
                    break;
                default:
                    ListCustom(target);
                    break;
            }
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

        private void ListCustom(ApiTarget target)
        {
            var request = new ListSecurityPolicyRequest
            {
                RegionId = target.RegionId,
                SecurityPolicyIds = SecurityPolicyId?.Where(id => !string.IsNullOrWhiteSpace(id)).ToList() is { Count: > 0 } given ? given : null,
                SecurityPolicyNames = SecurityPolicyName?.ToList(),
                ResourceGroupId = ResourceGroupId,
                Tag = TagFilter.ToTags(Tag),
                MaxResults = PageSize,
            };
            try
            {
                var pages = Pages((token, ct) => { request.NextToken = token; return target.Client.ListSecurityPolicyAsync(request, ct); },
                    page => page.NextToken, page => page.SecurityPolicies.Count);
                foreach (var page in pages)
                    foreach (var policy in page.SecurityPolicies) WriteObject(NlbSecurityPolicy.From(policy, target.RegionId, isSystem: false));
            }
            catch (NlbException e)
            {
                WriteApiError(e, target.RegionId);
            }
        }
    }
}
