using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Client.Credentials;
using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;

namespace NlbTools.Session
{
    /// <summary>
    /// Connect-Nlb's one signed call (DescribeRegions): a wrong key or secret, an endpoint that cannot be used and a
    /// region the service does not list fail at Connect, not at the first real command.
    /// </summary>
    internal static class ConnectCheck
    {
        /// <summary>The endpoint's problem as an error record (nothing is sent), or null when it can be used.</summary>
        public static ErrorRecord? EndpointProblem(Uri? endpoint)
        {
            if (endpoint == null) return null;
            string message;
            if (!endpoint.IsAbsoluteUri)
            {
                message = $"-Endpoint '{endpoint.OriginalString}' has no scheme: write it as https://{endpoint.OriginalString.TrimStart('/')} " +
                          "(or http://127.0.0.1:PORT for an emulator on this machine).";
            }
            else
            {
                try
                {
                    NlbEndpoint.Validate(endpoint);
                    return null;
                }
                catch (NlbException e)
                {
                    message = "-Endpoint: " + e.Message;
                }
            }
            return new ErrorRecord(new PSArgumentException(message, "Endpoint"), ErrorIds.InvalidEndpoint, ErrorCategory.InvalidArgument, endpoint.OriginalString)
            {
                ErrorDetails = new ErrorDetails(message),
            };
        }

        /// <summary>Asks DescribeRegions once with these credentials; the error record when that fails, else null.</summary>
        public static ErrorRecord? Run(NlbCancellableCmdlet cmdlet, ICredentialsProvider provider, string? region, Uri? endpoint, CancellationToken token)
        {
            using var lease = NlbSession.AcquireClient(provider, region, endpoint);
            var client = lease.Client;
            // Without an explicit endpoint a region's own host answers; with none set, any region does.
            var request = new DescribeRegionsRequest { RegionId = endpoint == null && region == null ? "cn-hangzhou" : null };
            DescribeRegionsResponse answer;
            try
            {
                answer = cmdlet.Await(Task.Run(() => client.DescribeRegionsAsync(request, token), token));
            }
            catch (NlbException e)
            {
                // A mistyped region's host may not exist at all: ask a known one whether the region is real.
                if (endpoint == null && region != null && (NlbErrorClassifier.IsTransport(e) || e.Code == "InvalidRegion"))
                {
                    var listed = RegionCheck.Known(client, r => cmdlet.Await(Task.Run(() => client.DescribeRegionsAsync(r, token), token)));
                    if (listed != null && !listed.Contains(region, StringComparer.Ordinal)) return RegionCheck.Error(region, listed);
                }
                var where = endpoint?.GetLeftPart(UriPartial.Authority) ?? $"region {region ?? "cn-hangzhou"}";
                var record = ErrorRecords.FromService(e, where);
                var advice = (record.ErrorDetails.Message.IndexOf("AccessKeySecret", StringComparison.Ordinal) < 0) && (e.HttpStatus == 400 || e.HttpStatus == 401 || e.HttpStatus == 403 || (e.Code ?? "").IndexOf("AccessKey", StringComparison.OrdinalIgnoreCase) >= 0)
                    ? " Check the AccessKeyId and AccessKeySecret."
                    : "";
                record.ErrorDetails = new ErrorDetails($"Connect-Nlb checked the credentials with DescribeRegions at {where}, and it failed: {e.Code}: {record.ErrorDetails.Message}{advice}")
                {
                    RecommendedAction = record.ErrorDetails.RecommendedAction,
                };
                return record;
            }
            var regions = RegionCheck.Ids(answer);
            if (region != null && regions.Length > 0 && !regions.Contains(region, StringComparer.Ordinal)) return RegionCheck.Error(region, regions);
            return null;
        }
    }
}
