using System;
using System.Net;
using System.Text.RegularExpressions;

namespace NlbTools.Client
{
    /// <summary>
    /// Where a call goes (nlb-api.md §5): the explicit endpoint if set, else nlb.&lt;region&gt;.aliyuncs.com over HTTPS,
    /// or nlb-vpc.&lt;region&gt;.aliyuncs.com on the vpc network. Plain http only to a loopback address.
    /// </summary>
    public static class NlbEndpoint
    {
        private static readonly Regex RegionPattern = new Regex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant);

        public static Uri Resolve(NlbClientOptions options, string? regionId)
        {
            if (options.Endpoint != null) return Validate(options.Endpoint);

            var region = string.IsNullOrWhiteSpace(regionId) ? options.RegionId : regionId;
            if (string.IsNullOrWhiteSpace(region))
                throw new NlbException("MissingRegion",
                    "No region given: pass -RegionId (e.g. -RegionId cn-hangzhou), set a default region, or give an explicit -Endpoint.");
            region = region!.Trim();
            if (!RegionPattern.IsMatch(region))
                throw new NlbException("InvalidRegion", $"'{region}' is not a region id (expected lowercase letters, digits and dashes, e.g. cn-hangzhou); check -RegionId.");

            string product;
            switch ((options.Network ?? "").Trim().ToLowerInvariant())
            {
                case "":
                case "public":
                    product = "nlb";
                    break;
                case "vpc":
                    product = "nlb-vpc";
                    break;
                default:
                    throw new NlbException("InvalidNetwork", $"Network '{options.Network}' is not supported: use 'public' or 'vpc'.");
            }
            return new Uri($"https://{product}.{region}.aliyuncs.com/");
        }

        /// <summary>Accepts https anywhere and http only on loopback, so that a key never crosses a network in clear.</summary>
        public static Uri Validate(Uri endpoint)
        {
            if (endpoint == null) throw new ArgumentNullException(nameof(endpoint));
            if (!endpoint.IsAbsoluteUri)
                throw new NlbException("InvalidEndpoint", $"Endpoint '{endpoint}' must be an absolute URI such as https://nlb.cn-hangzhou.aliyuncs.com.");
            if (endpoint.Scheme == Uri.UriSchemeHttps) return endpoint;
            if (endpoint.Scheme == Uri.UriSchemeHttp)
            {
                if (IsLoopback(endpoint.Host)) return endpoint;
                throw new NlbException("InvalidEndpoint",
                    $"Endpoint '{endpoint.GetLeftPart(UriPartial.Authority)}' uses plain http, which is allowed only for loopback addresses (127.0.0.1, ::1, localhost); use https.");
            }
            throw new NlbException("InvalidEndpoint", $"Endpoint scheme '{endpoint.Scheme}' is not supported; use https.");
        }

        /// <summary>Lowercase letters, digits and single dashes (cn-hangzhou, ap-southeast-1).</summary>
        public static bool IsRegionId(string? region) => region != null && RegionPattern.IsMatch(region);

        public static bool IsLoopback(string host)
        {
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
            return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
        }
    }
}
