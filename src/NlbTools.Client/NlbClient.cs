using System;
using System.Collections.Generic;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NlbTools.Client.Json;
using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using NlbTools.Client.Signing;

namespace NlbTools.Client
{
    /// <summary>
    /// The NLB (2022-04-30) API. Thread-safe; create one per endpoint+credentials and reuse it.
    /// Every call runs the pipeline: retry -> listener status -> pacing -> sign (per attempt) -> log (redacted) -> transport.
    /// Parameter placement (query or form body) follows the official SDK (nlb-api.md §1.3).
    /// </summary>
    public sealed partial class NlbClient : IDisposable
    {
        public const string ApiVersion = "2022-04-30";

        /// <summary>The code of a call cancelled by something other than its caller's token.</summary>
        public const string UnexpectedCancelCode = "Transport.Cancelled";

        private readonly NlbTransport _transport;
        private readonly bool _ownsTransport;
        private readonly NlbPipeline? _pipeline;
        private readonly string _userAgent;

        public NlbClient(NlbClientOptions options)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.Endpoint != null) NlbEndpoint.Validate(options.Endpoint);
            _ownsTransport = options.Transport == null;
            _transport = options.Transport ?? new HttpClientTransport();
            _userAgent = NlbUserAgent.With(options.UserAgentSuffix);

            if (options.Credentials != null)
            {
                var policies = new List<NlbPipelinePolicy> { new RetryPolicy(options), ListenerStatus(), new PacingPolicy(options), new SigningPolicy(options.Credentials, options.Clock) };
                if (options.Log != null) policies.Add(new LoggingPolicy(options.Log));
                _pipeline = new NlbPipeline(policies, _transport);
            }
        }

        public NlbClientOptions Options { get; }

        /// <summary>The policies in order (retry, listener status, pacing, signing, logging), for inspection.</summary>
        public IReadOnlyList<NlbPipelinePolicy> Policies => _pipeline?.Policies ?? Array.Empty<NlbPipelinePolicy>();

        /// <summary>Disposes the transport the client created; a transport passed in options belongs to the caller.</summary>
        public void Dispose()
        {
            if (_ownsTransport) _transport.Dispose();
        }

        /// <summary>The answer of one logical call: the JSON body, or the request id of a passed DryRun.</summary>
        private sealed class Answer
        {
            public JObject? Root;
            public string? DryRunRequestId;
        }

        private async Task<Answer> CallAsync(string action, bool isWrite, string? regionId, RequestParameters query, RequestParameters body,
            bool dryRun, CancellationToken cancellationToken)
        {
            if (_pipeline == null)
                throw new NlbException("MissingCredentials", "No credentials: connect first (Connect-Nlb) or set NlbClientOptions.Credentials.");
            var endpoint = NlbEndpoint.Resolve(Options, regionId);

            // RPC style: path "/", the query string built with the same encoding the signature assumes.
            var queryString = AcsSignature.ToFormString(query);
            var uri = new Uri(endpoint.GetLeftPart(UriPartial.Authority) + "/" + (queryString.Length > 0 ? "?" + queryString : ""));
            var request = new NlbHttpRequest { Method = "POST", Uri = uri };
            request.Headers["x-acs-action"] = action;
            request.Headers["x-acs-version"] = ApiVersion;
            request.Headers["Accept"] = "application/json";
            request.Headers["User-Agent"] = _userAgent;
            if (body.Count > 0)
            {
                request.Body = Encoding.UTF8.GetBytes(AcsSignature.ToFormString(body));
                request.Headers["Content-Type"] = AcsSignature.FormContentType;
            }

            var message = new NlbMessage(action, isWrite, request, query, cancellationToken);
            try
            {
                await _pipeline.SendAsync(message).ConfigureAwait(false);
            }
            catch (Exception ex) when ((ex is OperationCanceledException || ex is ObjectDisposedException) && !cancellationToken.IsCancellationRequested)
            {
                // Not the caller's cancel: a closed connection or a disposed client. A transport failure, never a raw exception.
                throw new NlbException(UnexpectedCancelCode, $"{action}: the request to {uri.Host} was cancelled, but not by the caller ({ex.GetType().Name}).", 0, null, ex);
            }

            var error = message.GetServiceError();
            if (error != null)
            {
                // A passed DryRun precheck comes back as the error DryRunOperation: it is a success.
                if (dryRun && error.Code == "DryRunOperation") return new Answer { DryRunRequestId = error.RequestId };
                throw error;
            }

            var response = message.Response ?? throw new NlbException("InvalidResponse", $"{action}: no answer from {uri.Host}.");
            try
            {
                return new Answer { Root = NlbJson.ParseObject(response.Body) };
            }
            catch (JsonException ex)
            {
                throw new NlbException("InvalidResponse", $"{action}: the answer from {uri.Host} (HTTP {response.StatusCode}) is not a JSON object.", response.StatusCode, null, ex);
            }
        }

        private static T Read<T>(Answer answer, Func<JObject, T> read) where T : NlbResponse, new()
        {
            if (answer.Root == null) return new T { RequestId = answer.DryRunRequestId, DryRunPassed = true };
            T result;
            try
            {
                result = read(answer.Root);
            }
            catch (JsonException ex)
            {
                throw new NlbException("InvalidResponse", $"The answer does not have the expected shape ({typeof(T).Name}): {ex.Message}", 200,
                    (string?)answer.Root["RequestId"], ex);
            }
            result.RequestId ??= (string?)answer.Root["RequestId"];
            return result;
        }

        private static JobResponse Job(Answer answer, string clientToken)
        {
            var job = Read(answer, NlbJson.Read<JobResponse>);
            job.ClientToken = clientToken;
            return job;
        }

        private static readonly MethodInfo MemberwiseCloneMethod =
            typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;

        /// <summary>A shallow copy with one change, so paging never alters the caller's request object.</summary>
        private static T With<T>(T request, Action<T> change) where T : class
        {
            var copy = (T)MemberwiseCloneMethod.Invoke(request, null)!;
            change(copy);
            return copy;
        }

        private string? Region(string? requested) => string.IsNullOrWhiteSpace(requested) ? Options.RegionId : requested;

        /// <summary>ASCII, at most 64 characters; one per logical call, reused by every attempt.</summary>
        internal static string NewClientToken() => "nlbtools-" + Guid.NewGuid().ToString("N");

        private static void Require(object? request, string? value, string name)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{name} is required.", nameof(request));
        }
    }
}
