using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NlbTools.Client.Pipeline;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// The HttpClient behind STS, metadata and credentials-URI calls when the environment names no transport.
    /// One for the process: these calls are rare (once per credentials lifetime) and must not exhaust sockets.
    /// </summary>
    internal sealed class CredentialsHttpTransport : NlbTransport
    {
        public static readonly CredentialsHttpTransport Shared = new CredentialsHttpTransport();

        // Timeouts are per call (a CancellationToken), so the client itself never times out.
        private readonly HttpClient _http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

        public override async Task<NlbHttpResponse> SendAsync(NlbHttpRequest request, CancellationToken cancellationToken)
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Uri);
            if (request.Body != null) message.Content = new ByteArrayContent(request.Body);
            foreach (var header in request.Headers)
            {
                if (string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    message.Content ??= new ByteArrayContent(Array.Empty<byte>());
                    message.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
                else
                {
                    message.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var result = new NlbHttpResponse
            {
                StatusCode = (int)response.StatusCode,
                Body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false),
            };
            foreach (var header in Headers(response))
                result.Headers[header.Key] = string.Join(",", header.Value);
            return result;
        }

        private static IEnumerable<KeyValuePair<string, IEnumerable<string>>> Headers(HttpResponseMessage response)
        {
            foreach (var h in response.Headers) yield return h;
            foreach (var h in response.Content.Headers) yield return h;
        }

        // Shared for the process; never disposed by a caller.
        public override void Dispose() { }
    }
}
