using System;
using System.Collections.Generic;
using System.Threading;

namespace NlbTools.Client.Pipeline
{
    /// <summary>One logical API call travelling through the pipeline: the request, and the answer of the latest attempt.</summary>
    public sealed class NlbMessage
    {
        private NlbHttpResponse? _response;
        private NlbException? _error;
        private bool _errorParsed;

        public NlbMessage(string action, bool isWrite, NlbHttpRequest request, IReadOnlyList<KeyValuePair<string, string>> query,
            CancellationToken cancellationToken)
        {
            Action = action;
            IsWrite = isWrite;
            Request = request;
            Query = query;
            CallerCancellationToken = cancellationToken;
            CancellationToken = cancellationToken;
        }

        /// <summary>API action, e.g. UpdateListenerAttribute.</summary>
        public string Action { get; }
        /// <summary>A write keeps its ClientToken on every attempt, so a few more codes are safe to retry.</summary>
        public bool IsWrite { get; }
        public NlbHttpRequest Request { get; }
        /// <summary>The query parameters, unencoded, as they also appear in Request.Uri; the signature needs them raw.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Query { get; }
        /// <summary>The caller's token: cancelling it ends the call, back-off waits included.</summary>
        public CancellationToken CallerCancellationToken { get; }
        /// <summary>The token of the current attempt: the caller's, plus the per-request timeout.</summary>
        public CancellationToken CancellationToken { get; set; }
        /// <summary>1-based number of the current attempt.</summary>
        public int Attempt { get; set; } = 1;
        /// <summary>Set by the signing policy, for the log: never the full id.</summary>
        public string? MaskedAccessKeyId { get; set; }

        public NlbHttpResponse? Response
        {
            get => _response;
            set { _response = value; _error = null; _errorParsed = false; }
        }

        /// <summary>The service error carried by the current response, or null for a 2xx answer (or no answer yet).</summary>
        public NlbException? GetServiceError()
        {
            if (_response == null) return null;
            if (!_errorParsed)
            {
                _error = ServiceErrorReader.FromResponse(_response, Request.Uri.Host);
                _errorParsed = true;
            }
            return _error;
        }
    }
}
