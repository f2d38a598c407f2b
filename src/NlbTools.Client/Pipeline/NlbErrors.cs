using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace NlbTools.Client.Pipeline
{
    /// <summary>Reads the service's error answer (JSON Code/Message/RequestId/HostId/Recommend/AccessDeniedDetail) into NlbException.</summary>
    public static class NlbErrors
    {
        /// <summary>Null for a 2xx answer.</summary>
        public static NlbException? FromResponse(NlbHttpResponse response, string host)
        {
            if (response.StatusCode >= 200 && response.StatusCode < 300) return null;

            JObject? body = null;
            try
            {
                if (response.Body.Length > 0) body = JToken.Parse(Encoding.UTF8.GetString(response.Body)) as JObject;
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's HTML page, a truncated answer): described by the status alone.
            }

            var code = Token(Text(body, "Code", "code")) ?? "HttpStatus." + response.StatusCode.ToString(CultureInfo.InvariantCulture);
            var serverMessage = Redact(ServiceText.Clean(Text(body, "Message", "message"), ServiceText.MaxMessageChars)) ?? $"The service answered HTTP {response.StatusCode} without an error body.";
            var requestId = Token(Text(body, "RequestId", "requestId")
                ?? (response.Headers.TryGetValue("x-acs-request-id", out var rid) ? rid : null));

            int? retryAfter = null;
            if (response.Headers.TryGetValue("x-acs-retry-after", out var ra)
                && int.TryParse(ra.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0)
                retryAfter = ms;

            if (code.StartsWith("InvalidTimeStamp", StringComparison.OrdinalIgnoreCase)) serverMessage += ClockHint(response);

            return new NlbException(code, serverMessage, response.StatusCode, requestId)
            {
                HostId = Token(Text(body, "HostId", "hostId")) ?? host,
                Recommend = ServiceText.Clean(Text(body, "Recommend", "recommend"), ServiceText.MaxTokenChars * 4),
                AccessDeniedDetail = Detail(body),
                RetryAfterMs = retryAfter,
            };
        }

        private static readonly Regex s_tokenValue = new Regex(@"(?i)((?:x-acs-security-token|SecurityToken)\s*[:=]\s*)[^\s&]+", RegexOptions.CultureInvariant);
        private static readonly Regex s_keyIdValue = new Regex(@"(?i)((?:x-acs-accesskey-id|AccessKeyId)\s*[:=]\s*)([^\s&]+)", RegexOptions.CultureInvariant);

        /// <summary>
        /// The service's SignatureDoesNotMatch message quotes its string to sign and canonical request, which
        /// carry the security token in clear and the whole AccessKeyId: that part is cut, and any token or key
        /// id left in a message is masked, so an error record, $Error or a transcript never holds them.
        /// </summary>
        internal static string? Redact(string? message)
        {
            if (string.IsNullOrEmpty(message)) return message;
            var cut = message!.IndexOf("string to sign", StringComparison.OrdinalIgnoreCase);
            if (cut >= 0)
            {
                var sentence = message.LastIndexOf('.', cut);
                message = message.Substring(0, sentence >= 0 ? sentence + 1 : cut).TrimEnd()
                          + " (The service's string to sign was left out: it holds the security token.) Check that the AccessKeySecret belongs to the AccessKeyId.";
            }
            message = s_tokenValue.Replace(message, "$1****");
            return s_keyIdValue.Replace(message, m => m.Groups[1].Value + Credentials.NlbCredentials.Mask(m.Groups[2].Value));
        }

        /// <summary>
        /// A timestamp error is almost always this computer's clock, not the request: say so, with the
        /// service's own time when its answer has a Date header.
        /// </summary>
        private static string ClockHint(NlbHttpResponse response)
        {
            var serviceTime = response.Headers.TryGetValue("Date", out var date)
                && DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? $" (the service's time is {parsed.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)" : "";
            return " Check this computer's clock: requests are signed with its time, and the service rejects times more than "
                   + "15 minutes away from its own" + serviceTime + ". Sync the clock (e.g. w32tm /resync or chronyc makestep) and retry.";
        }

        /// <summary>The RequestId of any answer: the x-acs-request-id header, else the top-level RequestId field (read without parsing the rest).</summary>
        public static string? RequestIdOf(NlbHttpResponse response)
        {
            if (response.Headers.TryGetValue("x-acs-request-id", out var id) && !string.IsNullOrEmpty(id)) return Token(id);
            try
            {
                using var reader = new JsonTextReader(new System.IO.StreamReader(new System.IO.MemoryStream(response.Body), Encoding.UTF8));
                if (!reader.Read() || reader.TokenType != JsonToken.StartObject) return null;
                while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
                {
                    var name = (string?)reader.Value;
                    if (name == "RequestId" || name == "requestId") return Token(reader.ReadAsString());
                    reader.Read();
                    reader.Skip();
                }
            }
            catch (JsonException)
            {
            }
            return null;
        }

        /// <summary>Codes and ids are short and single-line; an endpoint that sends more is cleaned and cut.</summary>
        private static string? Token(string? text) => ServiceText.Clean(text, ServiceText.MaxTokenChars);

        private static string? Text(JObject? body, string name, string altName)
        {
            var token = body?[name] ?? body?[altName];
            if (token == null || token.Type == JTokenType.Null) return null;
            var s = token.Type == JTokenType.String ? (string?)token : token.ToString(Formatting.None);
            return string.IsNullOrEmpty(s) ? null : s;
        }

        private static IReadOnlyDictionary<string, string>? Detail(JObject? body)
        {
            if (!((body?["AccessDeniedDetail"] ?? body?["accessDeniedDetail"]) is JObject detail)) return null;
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in detail.Properties())
                result[Token(p.Name)!] = ServiceText.Clean(p.Value.Type == JTokenType.String ? (string)p.Value! : p.Value.ToString(Formatting.None), ServiceText.MaxMessageChars)!;
            return result;
        }
    }
}
