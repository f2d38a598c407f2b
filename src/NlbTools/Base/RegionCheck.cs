using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using NlbTools.Client;
using NlbTools.Client.Models;

namespace NlbTools.Base
{
    /// <summary>
    /// Is a region one the service lists (DescribeRegions)? Asked only when a Get command found nothing or failed,
    /// so a mistyped or wrongly cased region (ap-southeast-l, CN-HANGZHOU) is an error naming the closest match
    /// instead of an empty answer; the successful path costs no extra request. The list is kept for ten minutes.
    /// </summary>
    internal static class RegionCheck
    {
        private static readonly TimeSpan s_lifetime = TimeSpan.FromMinutes(10);
        private static readonly ConcurrentDictionary<string, (DateTime Expires, string[] Regions)> s_known =
            new ConcurrentDictionary<string, (DateTime, string[])>(StringComparer.Ordinal);

        /// <summary>The error for an unknown region, or null when the region is listed (or the list cannot be read).</summary>
        public static ErrorRecord? Unknown(NlbApiCmdlet cmdlet, ApiTarget target)
        {
            var region = target.RegionId;
            if (string.IsNullOrEmpty(region)) return null;
            var regions = Known(target.Client, request => cmdlet.Call(ct => target.Client.DescribeRegionsAsync(request, ct)));
            if (regions == null || regions.Contains(region, StringComparer.Ordinal)) return null;
            return Error(region!, regions);
        }

        /// <summary>"Region 'x' is not a region the service lists; did you mean 'y'?" as an InvalidArgument record.</summary>
        public static ErrorRecord Error(string region, string[] regions)
        {
            var closest = Closest(region, regions);
            var message = $"Region '{region}' is not a region the service lists" + (closest != null ? $"; did you mean '{closest}'?" : ".")
                          + $" Regions: {string.Join(", ", regions)}. Check -RegionId (region ids are lowercase).";
            return new ErrorRecord(new PSArgumentException(message, "RegionId"), ErrorIds.RegionUnknown, ErrorCategory.InvalidArgument, region)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = closest != null ? $"Use -RegionId {closest}." : "Run Get-NlbRegion to see the regions." },
            };
        }

        /// <summary>
        /// The regions the service lists for this client's credentials and endpoint, kept for ten minutes; null when
        /// they cannot be read. <paramref name="ask"/> sends the DescribeRegions call the way the caller sends calls.
        /// </summary>
        internal static string[]? Known(NlbClient client, Func<DescribeRegionsRequest, DescribeRegionsResponse> ask)
        {
            var key = $"{RuntimeHelpers.GetHashCode(client.Options.Credentials)}|{client.Options.Endpoint?.AbsoluteUri}";
            if (s_known.TryGetValue(key, out var hit) && hit.Expires > DateTime.UtcNow) return hit.Regions;
            try
            {
                // Any regional endpoint answers DescribeRegions; without an explicit endpoint ask a known-good one,
                // since the mistyped region's own host may not exist.
                var request = new DescribeRegionsRequest { RegionId = client.Options.Endpoint == null ? "cn-hangzhou" : null };
                var regions = Ids(ask(request));
                if (regions.Length == 0) return null;
                s_known[key] = (DateTime.UtcNow + s_lifetime, regions);
                return regions;
            }
            catch (NlbException)
            {
                return null; // the original answer (empty, not found, the transport error) stands
            }
        }

        internal static string[] Ids(DescribeRegionsResponse answer)
            => answer.Regions.Select(r => r.RegionId).Where(r => !string.IsNullOrEmpty(r)).Select(r => r!).ToArray();

        /// <summary>The same id in another case, else the one with the fewest edits (at most a third of its length).</summary>
        internal static string? Closest(string region, IEnumerable<string> regions)
        {
            var list = regions.ToList();
            var sameCase = list.FirstOrDefault(r => string.Equals(r, region.Trim(), StringComparison.OrdinalIgnoreCase));
            if (sameCase != null) return sameCase;
            var best = list.Select(r => (Region: r, Distance: Distance(region.ToLowerInvariant(), r))).OrderBy(x => x.Distance).FirstOrDefault();
            return best.Region != null && best.Distance <= Math.Max(2, region.Length / 3) ? best.Region : null;
        }

        private static int Distance(string a, string b)
        {
            var previous = Enumerable.Range(0, b.Length + 1).ToArray();
            for (var i = 1; i <= a.Length; i++)
            {
                var current = new int[b.Length + 1];
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
            return previous[b.Length];
        }
    }
}
