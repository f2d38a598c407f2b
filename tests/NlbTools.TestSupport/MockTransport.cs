using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using NlbTools.Client.Pipeline;
using NlbTools.Client.Signing;

namespace NlbTools.TestSupport
{
    /// <summary>A request as the mock transport saw it: a snapshot, since signing rewrites headers on every attempt.</summary>
    public sealed class RecordedRequest
    {
        internal RecordedRequest(NlbHttpRequest request)
        {
            Method = request.Method;
            Uri = request.Uri;
            Headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase);
            Body = request.Body == null ? Array.Empty<byte>() : (byte[])request.Body.Clone();
        }

        public string Method { get; }
        public Uri Uri { get; }
        public IReadOnlyDictionary<string, string> Headers { get; }
        public byte[] Body { get; }
        public string BodyText => Encoding.UTF8.GetString(Body);
        public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
        /// <summary>Decoded query parameters, in wire order.</summary>
        public IList<KeyValuePair<string, string>> Query => AcsSignature.ParseFormString(Uri.Query);
        /// <summary>Decoded form-body parameters, in wire order.</summary>
        public IList<KeyValuePair<string, string>> Form => AcsSignature.ParseFormString(BodyText);
        /// <summary>A parameter from the query or the body (as the service merges them), or null.</summary>
        public string? Parameter(string name)
            => Query.Concat(Form).Where(p => p.Key == name).Select(p => p.Value).FirstOrDefault();
    }

    /// <summary>
    /// Answers from a script instead of the network, and records what was sent. Test support only (like
    /// Azure.Core.TestFramework): it plugs into the public NlbClientOptions.Transport seam and ships in no product assembly.
    /// </summary>
    public sealed class MockTransport : NlbTransport
    {
        private readonly Func<RecordedRequest, CancellationToken, Task<NlbHttpResponse>> _handler;
        private readonly List<RecordedRequest> _requests = new List<RecordedRequest>();

        /// <summary>Answers in order; running out of answers fails the call loudly.</summary>
        public MockTransport(params NlbHttpResponse[] responses)
        {
            var queue = new Queue<NlbHttpResponse>(responses);
            _handler = (r, ct) =>
            {
                lock (queue)
                {
                    if (queue.Count == 0) throw new InvalidOperationException($"MockTransport: no answer scripted for request {_requests.Count}.");
                    return Task.FromResult(queue.Dequeue());
                }
            };
        }

        public MockTransport(Func<RecordedRequest, NlbHttpResponse> handler)
            : this((r, ct) => Task.FromResult(handler(r)))
        {
        }

        public MockTransport(Func<RecordedRequest, CancellationToken, Task<NlbHttpResponse>> handler)
        {
            _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        }

        public IReadOnlyList<RecordedRequest> Requests
        {
            get { lock (_requests) return _requests.ToArray(); }
        }

        public override Task<NlbHttpResponse> SendAsync(NlbHttpRequest request, CancellationToken cancellationToken)
        {
            var recorded = new RecordedRequest(request);
            lock (_requests) _requests.Add(recorded);
            return _handler(recorded, cancellationToken);
        }

        /// <summary>A JSON answer; the body is serialized as given (an object or a JSON string).</summary>
        public static NlbHttpResponse Json(int status, object body, params (string Name, string Value)[] headers)
        {
            var json = body as string ?? JsonConvert.SerializeObject(body);
            var response = new NlbHttpResponse { StatusCode = status, Body = Encoding.UTF8.GetBytes(json) };
            response.Headers["Content-Type"] = "application/json;charset=utf-8";
            foreach (var (name, value) in headers) response.Headers[name] = value;
            return response;
        }

        /// <summary>An error answer shaped like the gateway's.</summary>
        public static NlbHttpResponse Error(int status, string code, string message, string requestId = "REQ-ERR", int? retryAfterMs = null)
        {
            var headers = retryAfterMs.HasValue ? new[] { ("x-acs-retry-after", retryAfterMs.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)) } : Array.Empty<(string, string)>();
            return Json(status, new { RequestId = requestId, HostId = "nlb.mock", Code = code, Message = message }, headers);
        }
    }
}
