using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Pipeline
{
    /// <summary>The default transport: one HttpClient for the life of the NlbClient, reused by every call.</summary>
    public sealed class HttpClientTransport : NlbTransport
    {
        private readonly HttpClient _http;

        public HttpClientTransport()
            : this(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate, UseCookies = false })
        {
        }

        public HttpClientTransport(HttpMessageHandler handler, bool disposeHandler = true)
        {
            handler = NetFrameworkNetworkSettings.Apply(handler); // .NET Framework only: TLS 1.2/1.3, per-endpoint connection limit and lease
            // The retry policy owns timeouts (per attempt, via the token), so HttpClient's own is off.
            _http = new HttpClient(handler, disposeHandler) { Timeout = Timeout.InfiniteTimeSpan };
        }

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

            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var result = new NlbHttpResponse { StatusCode = (int)response.StatusCode };
            foreach (var h in response.Headers) result.Headers[h.Key] = string.Join(",", h.Value);
            foreach (var h in response.Content.Headers) result.Headers[h.Key] = string.Join(",", h.Value);
            result.Body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            return result;
        }

        public override void Dispose() => _http.Dispose();
    }
}
