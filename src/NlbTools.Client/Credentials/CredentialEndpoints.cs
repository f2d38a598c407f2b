using System;
using NlbTools.Client.Pipeline;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// Endpoints that come from configuration (sts_region, ALIBABA_CLOUD_STS_REGION, a credentials URI, the
    /// metadata override) decide where a signed request or a credentials answer travels, so they are checked
    /// like the NLB endpoint: a region must look like one, and plain http is only for loopback and the ECS
    /// metadata address (which is http by design and never leaves the instance).
    /// </summary>
    public static class CredentialEndpoints
    {
        public const string InvalidEndpointErrorId = "NlbCredentialsInvalidEndpoint";

        /// <summary>The region as given, trimmed; throws when it is not a region id (e.g. "x@127.0.0.1:18086/#").</summary>
        public static string StsRegion(string region, string setting)
        {
            var trimmed = region.Trim();
            if (NlbEndpoint.IsRegionId(trimmed)) return trimmed;
            throw Invalid($"{setting} '{ServiceText.Clean(trimmed, 64)}' is not a region id (lowercase letters, digits and dashes, e.g. cn-hangzhou); "
                          + "the STS host is built from it, so nothing was sent.");
        }

        /// <summary>https anywhere; http only to loopback or 100.100.100.200.</summary>
        public static Uri Require(Uri uri, string setting)
        {
            if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw Invalid($"{setting} is not an absolute http(s) URI.");
            if (uri.Scheme == Uri.UriSchemeHttp && !HttpClientTransport.IsDirectHost(uri.Host))
                throw Invalid($"{setting} ({uri.GetLeftPart(UriPartial.Authority)}) uses plain http, which is allowed only for loopback addresses "
                              + $"and the ECS metadata address {HttpClientTransport.CredentialsMetadataHost}; use https.");
            return uri;
        }

        public static Uri Parse(string value, string setting)
        {
            if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)) throw Invalid($"{setting} is not an absolute http(s) URI.");
            return Require(uri, setting);
        }

        private static NlbCredentialsException Invalid(string message) => new NlbCredentialsException(message) { ErrorId = InvalidEndpointErrorId };
    }
}
