using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Pipeline
{
    /// <summary>
    /// The default transport: one HttpClient for the life of the NlbClient, reused by every call. It follows no
    /// redirect (a 3xx is an error naming the target host: .NET would carry the AccessKeyId and the security token
    /// there, dropping only Authorization), reads at most <see cref="MaxBodyBytes"/> of decompressed body, and
    /// never sends a loopback or metadata-service request through a proxy. Other hosts use the proxy the way
    /// .NET finds it: HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY on .NET (Core), the system proxy on
    /// .NET Framework.
    /// </summary>
    public sealed class HttpClientTransport : NlbTransport
    {
        /// <summary>The largest answer read, after decompression. NLB's biggest pages are a few hundred KB.</summary>
        public const int MaxBodyBytes = 16 * 1024 * 1024;

        private readonly HttpClient _http;
        private readonly HttpClient? _direct;

        public HttpClientTransport()
            : this(CreateHandler(useProxy: true))
        {
            _direct = new HttpClient(CreateHandler(useProxy: false), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        }

        public HttpClientTransport(HttpMessageHandler handler, bool disposeHandler = true)
        {
            handler = NetFrameworkNetworkSettings.Apply(handler); // .NET Framework only: TLS 1.2/1.3, per-endpoint connection limit and lease
            // The retry policy owns timeouts (per attempt, via the token), so HttpClient's own is off.
            _http = new HttpClient(handler, disposeHandler) { Timeout = Timeout.InfiniteTimeSpan };
        }

        /// <summary>The handler the default transport uses: no redirects, no cookies, gzip/deflate, the platform's proxy or none.</summary>
        public static HttpClientHandler CreateHandler(bool useProxy) => new HttpClientHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseCookies = false,
            AllowAutoRedirect = false,
            UseProxy = useProxy,
        };

        /// <summary>Hosts reached without a proxy: loopback (the emulator, sidecars) and the ECS metadata address.</summary>
        public static bool IsDirectHost(string host)
            => NlbEndpoint.IsLoopback(host) || string.Equals(host, CredentialsMetadataHost, StringComparison.Ordinal);

        internal const string CredentialsMetadataHost = "100.100.100.200";

        public override async Task<NlbHttpResponse> SendAsync(NlbHttpRequest request, CancellationToken cancellationToken)
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Uri);
            message.Headers.ExpectContinue = false; // .NET Framework would otherwise wait for "100 Continue" before every form body
            if (request.Body != null) message.Content = new ByteArrayContent(request.Body);
            foreach (var header in request.Headers)
            {
                if (string.Equals(header.Key, "host", StringComparison.OrdinalIgnoreCase)) continue; // HttpClient derives it from the Uri
                if (string.Equals(header.Key, "content-type", StringComparison.OrdinalIgnoreCase))
                {
                    message.Content ??= new ByteArrayContent(Array.Empty<byte>());
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(header.Value);
                    continue;
                }
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            var client = _direct != null && IsDirectHost(request.Uri.Host) ? _direct : _http;
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status >= 300 && status < 400) throw ResponseBody.Redirect(request.Uri, status, response.Headers.Location);

            var result = new NlbHttpResponse { StatusCode = status };
            foreach (var h in response.Headers) result.Headers[h.Key] = string.Join(",", h.Value);
            foreach (var h in response.Content.Headers) result.Headers[h.Key] = string.Join(",", h.Value);
            result.Body = await ResponseBody.ReadAsync(response, request.Uri, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
            return result;
        }

        public override void Dispose()
        {
            _http.Dispose();
            _direct?.Dispose();
        }
    }
}
