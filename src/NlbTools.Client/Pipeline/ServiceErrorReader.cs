using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace NlbTools.Client.Pipeline
{
    /// <summary>Reads the service's error answer (JSON Code/Message/RequestId/HostId/Recommend/AccessDeniedDetail) into NlbException.</summary>
    public static class ServiceErrorReader
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

            var code = Text(body, "Code", "code") ?? "HttpStatus." + response.StatusCode.ToString(CultureInfo.InvariantCulture);
            var serverMessage = SecretRedaction.Redact(Text(body, "Message", "message")) ?? $"The service answered HTTP {response.StatusCode} without an error body.";
            var requestId = Text(body, "RequestId", "requestId")
                ?? (response.Headers.TryGetValue("x-acs-request-id", out var rid) ? rid : null);

            int? retryAfter = null;
            if (response.Headers.TryGetValue("x-acs-retry-after", out var ra)
                && int.TryParse(ra.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0)
                retryAfter = ms;

            if (code.StartsWith("InvalidTimeStamp", StringComparison.OrdinalIgnoreCase)) serverMessage += ClockHint(response);

            return new NlbException(code, serverMessage, response.StatusCode, requestId)
            {
                HostId = Text(body, "HostId", "hostId") ?? host,
                Recommend = Text(body, "Recommend", "recommend"),
                AccessDeniedDetail = Detail(body),
                RetryAfterMs = retryAfter,
            };
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
            if (response.Headers.TryGetValue("x-acs-request-id", out var id) && !string.IsNullOrEmpty(id)) return id;
            try
            {
                using var reader = new JsonTextReader(new System.IO.StreamReader(new System.IO.MemoryStream(response.Body), Encoding.UTF8));
                if (!reader.Read() || reader.TokenType != JsonToken.StartObject) return null;
                while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
                {
                    var name = (string?)reader.Value;
                    if (name == "RequestId" || name == "requestId") return reader.ReadAsString();
                    reader.Read();
                    reader.Skip();
                }
            }
            catch (JsonException)
            {
            }
            return null;
        }

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
                result[p.Name] = p.Value.Type == JTokenType.String ? (string)p.Value! : p.Value.ToString(Formatting.None);
            return result;
        }
    }
}
