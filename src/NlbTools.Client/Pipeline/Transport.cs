using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Pipeline
{
    /// <summary>A request as the pipeline builds it; the transport turns it into bytes on the wire.</summary>
    public sealed class NlbHttpRequest
    {
        public string Method { get; set; } = "POST";
        public Uri Uri { get; set; } = new Uri("https://localhost/");
        /// <summary>Header names as sent; lookups are case-insensitive.</summary>
        public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public byte[]? Body { get; set; }
    }

    public sealed class NlbHttpResponse
    {
        public int StatusCode { get; set; }
        public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public byte[] Body { get; set; } = Array.Empty<byte>();
    }

    /// <summary>The last stage of the pipeline. HttpClientTransport by default; tests swap in a mock.</summary>
    public abstract class NlbTransport : IDisposable
    {
        public abstract Task<NlbHttpResponse> SendAsync(NlbHttpRequest request, CancellationToken cancellationToken);
        public virtual void Dispose() { }
    }
}
