using System.Management.Automation;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Client.Models;

namespace NlbTools.Commands
{
    /// <summary>The regions where NLB is available (DescribeRegions).</summary>
    [Cmdlet(VerbsCommon.Get, "NlbRegion")]
    [OutputType(typeof(NlbRegion))]
    public sealed class GetNlbRegionCommand : NlbApiCmdlet
    {
        /// <summary>Language of LocalName: en-US (default), zh-CN or ja.</summary>
        [Parameter]
        [ValidateSet("en-US", "zh-CN", "ja", IgnoreCase = true)]
        public string AcceptLanguage { get; set; } = "en-US";

        protected override void EndProcessing()
        {
            // DescribeRegions answers the same from every regional endpoint.
            var target = ResolveTarget(fallbackRegion: "cn-hangzhou");
            if (target == null) return;
            try
            {
                var answer = Call(ct => target.Client.DescribeRegionsAsync(new DescribeRegionsRequest { AcceptLanguage = AcceptLanguage }, ct));
                foreach (var r in answer.Regions)
                    WriteObject(new NlbRegion { RegionId = r.RegionId, LocalName = r.LocalName, RegionEndpoint = r.RegionEndpoint });
            }
            catch (NlbException e)
            {
                WriteApiError(e, target.RegionId);
            }
        }
    }
}
