using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NlbTools.Client.Pipeline;

namespace NlbTools.Client.Credentials
{
    /// <summary>What the STS, metadata and credentials-URI calls share: a timeout per call, JSON, redaction.</summary>
    internal static class CredentialsHttp
    {
        public static async Task<NlbHttpResponse> SendAsync(CredentialsEnvironment env, NlbHttpRequest request, TimeSpan timeout,
            string where, CancellationToken cancellationToken)
        {
            if (!request.Headers.ContainsKey("User-Agent"))
                request.Headers["User-Agent"] = "NlbTools/" + typeof(CredentialsHttp).Assembly.GetName().Version?.ToString(3);
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            try
            {
                return await env.ResolveTransport().SendAsync(request, timeoutSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new NlbCredentialsException($"{where} did not answer within {timeout.TotalSeconds:0.#} s.");
            }
            catch (Exception e) when (!(e is OperationCanceledException) && !(e is NlbCredentialsException))
            {
                throw new NlbCredentialsException($"{where} could not be reached: {CredentialsErrors.Describe(e)}", e);
            }
        }

        public static JObject? ParseJson(NlbHttpResponse response, string where)
        {
            var text = Encoding.UTF8.GetString(response.Body ?? Array.Empty<byte>());
            if (text.Trim().Length == 0) return null;
            try
            {
                return ParseToken(text) as JObject;
            }
            catch (JsonReaderException)
            {
                // The body may hold credentials: never quote it.
                if (response.StatusCode != 200) return null;
                throw new NlbCredentialsException($"{where} answered HTTP {response.StatusCode} with a body that is not JSON.");
            }
        }

        /// <summary>JSON as written: dates stay strings (Newtonsoft would otherwise turn "2026-..Z" into a Date token).</summary>
        public static JToken ParseToken(string text)
        {
            using var reader = new JsonTextReader(new System.IO.StringReader(text)) { DateParseHandling = DateParseHandling.None };
            var token = JToken.ReadFrom(reader, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load });
            while (reader.Read()) { } // trailing content other than comments/whitespace is an error
            return token;
        }

        public static NlbCredentials ReadCredentials(JObject json, string idKey, string secretKey, string? tokenKey, string? expirationKey,
            string source, string where, bool expirationRequired)
        {
            string Required(string key) => json[key]?.Type == JTokenType.String && ((string?)json[key])!.Length > 0
                ? (string)json[key]!
                : throw new NlbCredentialsException($"{where} answered without {key}.");

            var id = Required(idKey);
            var secret = Required(secretKey);
            var token = tokenKey == null ? null : (expirationRequired ? Required(tokenKey) : (string?)json[tokenKey]);
            DateTimeOffset? expiration = null;
            if (expirationKey != null)
            {
                var raw = expirationRequired ? Required(expirationKey) : json[expirationKey]?.Type == JTokenType.String ? (string?)json[expirationKey] : null;
                if (!string.IsNullOrEmpty(raw))
                {
                    if (!DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                        throw new NlbCredentialsException($"{where} answered an Expiration that is not a date.");
                    expiration = parsed;
                }
            }
            return new NlbCredentials(id, secret, token, expiration, source);
        }

        /// <summary>A URI for messages: scheme, host, port and path; the query (which may carry a token) is dropped.</summary>
        public static string Describe(Uri uri) => uri.GetLeftPart(UriPartial.Path);
    }
}
