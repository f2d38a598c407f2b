using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace NlbTools.Client.Signing
{
    /// <summary>The parts of an ACS3-HMAC-SHA256 signature; the intermediate strings help explain a mismatch.</summary>
    public sealed class V3Signature
    {
        public V3Signature(string canonicalRequest, string stringToSign, string signedHeaders, string signature)
        {
            CanonicalRequest = canonicalRequest;
            StringToSign = stringToSign;
            SignedHeaders = signedHeaders;
            Signature = signature;
        }

        public string CanonicalRequest { get; }
        public string StringToSign { get; }
        public string SignedHeaders { get; }
        /// <summary>Lowercase hex HMAC-SHA256. Secret-equivalent for the life of the request: never log it.</summary>
        public string Signature { get; }

        /// <summary>The Authorization header value (no spaces after the commas, as the official runtimes send it).</summary>
        public string ToAuthorization(string accessKeyId)
            => $"{AcsSignature.V3Algorithm} Credential={accessKeyId},SignedHeaders={SignedHeaders},Signature={Signature}";

        // Only the non-secret parts: a V3Signature may end up in a debugger or an exception.
        public override string ToString() => $"{AcsSignature.V3Algorithm} SignedHeaders={SignedHeaders}";
    }

    /// <summary>
    /// Alibaba Cloud API signatures, as the official runtimes compute them (reference nlb-api.md §4):
    /// V3 (ACS3-HMAC-SHA256, what the client sends) and V2 (RPC HMAC-SHA1, for STS AssumeRole and
    /// for emulator clients that use it). Pure functions: the emulator verifies with the same code.
    /// </summary>
    public static class AcsSignature
    {
        public const string V3Algorithm = "ACS3-HMAC-SHA256";
        /// <summary>SHA-256 of the empty string, the payload hash of a request without a body.</summary>
        public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        public const string FormContentType = "application/x-www-form-urlencoded";

        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);

        /// <summary>UTF-8 percent-encoding; only A–Z a–z 0–9 - _ . ~ stay literal (space is %20, * is %2A).</summary>
        public static string PercentEncode(string? value)
        {
            if (string.IsNullOrEmpty(value)) return "";
            var bytes = Utf8.GetBytes(value);
            var sb = new StringBuilder(bytes.Length * 3);
            foreach (var b in bytes)
            {
                var c = (char)b;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~')
                    sb.Append(c);
                else
                    sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            return sb.ToString();
        }

        /// <summary>x-acs-date / Timestamp format: UTC, whole seconds.</summary>
        public static string FormatTimestamp(DateTimeOffset time)
            => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        public static string Sha256Hex(byte[] data)
        {
            using var sha = SHA256.Create();
            return Hex(sha.ComputeHash(data ?? Array.Empty<byte>()));
        }

        public static string Sha256Hex(string text) => Sha256Hex(Utf8.GetBytes(text ?? ""));

        /// <summary>True for the headers V3 signs: host, content-type and every x-acs-* header.</summary>
        public static bool IsSignedHeader(string name)
        {
            var lower = name.ToLowerInvariant();
            return lower == "host" || lower == "content-type" || lower.StartsWith("x-acs-", StringComparison.Ordinal);
        }

        /// <summary>
        /// ACS3-HMAC-SHA256 (§4.1). <paramref name="query"/> holds raw (unencoded) values; keys are used as given,
        /// as the SDKs do. <paramref name="headers"/> may hold any headers; only host, content-type and x-acs-* are signed.
        /// </summary>
        public static V3Signature ComputeV3(string method, string canonicalUri,
            IEnumerable<KeyValuePair<string, string>> query, IEnumerable<KeyValuePair<string, string>> headers,
            string hashedPayload, string accessKeySecret)
        {
            if (accessKeySecret == null) throw new ArgumentNullException(nameof(accessKeySecret));

            var uri = string.IsNullOrEmpty(canonicalUri) ? "/" : canonicalUri;
            uri = uri.Replace("+", "%20").Replace("*", "%2A").Replace("%7E", "~");

            var canonicalQuery = string.Join("&", (query ?? Enumerable.Empty<KeyValuePair<string, string>>())
                .Where(p => p.Value != null)
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + PercentEncode(p.Value)));

            // Same name twice (any casing): the C# runtime joins the sorted values with ", ".
            var signed = (headers ?? Enumerable.Empty<KeyValuePair<string, string>>())
                .Where(h => IsSignedHeader(h.Key))
                .GroupBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new
                {
                    Name = g.Key,
                    Value = string.Join(", ", g.Select(h => (h.Value ?? "").Trim()).OrderBy(v => v, StringComparer.Ordinal)),
                })
                .ToList();

            var canonicalHeaders = new StringBuilder();
            foreach (var h in signed) canonicalHeaders.Append(h.Name).Append(':').Append(h.Value).Append('\n');
            var signedHeaders = string.Join(";", signed.Select(h => h.Name));

            var canonicalRequest = (method ?? "").ToUpperInvariant() + "\n" + uri + "\n" + canonicalQuery + "\n"
                + canonicalHeaders + "\n" + signedHeaders + "\n" + hashedPayload;
            var stringToSign = V3Algorithm + "\n" + Sha256Hex(canonicalRequest);

            using var hmac = new HMACSHA256(Utf8.GetBytes(accessKeySecret));
            var signature = Hex(hmac.ComputeHash(Utf8.GetBytes(stringToSign)));
            return new V3Signature(canonicalRequest, stringToSign, signedHeaders, signature);
        }

        /// <summary>
        /// V2 RPC signature, HMAC-SHA1 (§4.2): <paramref name="parameters"/> = every query parameter and every
        /// flattened body parameter except Signature. Returns the Base64 signature.
        /// </summary>
        public static string ComputeV2(string method, IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret, out string stringToSign)
        {
            if (accessKeySecret == null) throw new ArgumentNullException(nameof(accessKeySecret));
            var canonical = string.Join("&", (parameters ?? Enumerable.Empty<KeyValuePair<string, string>>())
                .Where(p => p.Value != null && p.Key != "Signature")
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => PercentEncode(p.Key) + "=" + PercentEncode(p.Value)));
            stringToSign = (method ?? "") + "&" + PercentEncode("/") + "&" + PercentEncode(canonical);
            using var hmac = new HMACSHA1(Utf8.GetBytes(accessKeySecret + "&"));
            return Convert.ToBase64String(hmac.ComputeHash(Utf8.GetBytes(stringToSign)));
        }

        /// <summary>
        /// Flattens one API parameter the way the official runtime's query/toForm do (null skipped):
        /// lists as Name.1, Name.2 …; objects and dictionaries as Parent.Child, so a list of tags becomes
        /// Tag.1.Key / Tag.1.Value; booleans as true/false; numbers in the invariant culture.
        /// </summary>
        public static IList<KeyValuePair<string, string>> Flatten(string name, object? value)
        {
            var result = new List<KeyValuePair<string, string>>();
            FlattenInto(result, name, value);
            return result;
        }

        /// <summary>Form body (or query string): PercentEncode(key)=PercentEncode(value) joined with &amp;, in the given order.</summary>
        public static string ToFormString(IEnumerable<KeyValuePair<string, string>> parameters)
            => string.Join("&", parameters.Where(p => p.Value != null).Select(p => PercentEncode(p.Key) + "=" + PercentEncode(p.Value)));

        /// <summary>Reads a form body or query string (the inverse of <see cref="ToFormString"/>; '+' is read as a space).</summary>
        public static IList<KeyValuePair<string, string>> ParseFormString(string? text)
        {
            var result = new List<KeyValuePair<string, string>>();
            if (string.IsNullOrEmpty(text)) return result;
            foreach (var part in text!.TrimStart('?').Split('&'))
            {
                if (part.Length == 0) continue;
                var eq = part.IndexOf('=');
                var key = eq < 0 ? part : part.Substring(0, eq);
                var value = eq < 0 ? "" : part.Substring(eq + 1);
                result.Add(new KeyValuePair<string, string>(Uri.UnescapeDataString(key.Replace('+', ' ')), Uri.UnescapeDataString(value.Replace('+', ' '))));
            }
            return result;
        }

        private static void FlattenInto(List<KeyValuePair<string, string>> into, string name, object? value)
        {
            switch (value)
            {
                case null:
                    return;
                case string s:
                    into.Add(new KeyValuePair<string, string>(name, s));
                    return;
                case bool b:
                    into.Add(new KeyValuePair<string, string>(name, b ? "true" : "false"));
                    return;
                case DateTimeOffset dto:
                    into.Add(new KeyValuePair<string, string>(name, FormatTimestamp(dto)));
                    return;
                case IFormattable f:
                    into.Add(new KeyValuePair<string, string>(name, f.ToString(null, CultureInfo.InvariantCulture)));
                    return;
                case System.Collections.IDictionary dict:
                    foreach (System.Collections.DictionaryEntry e in dict)
                        FlattenInto(into, name + "." + Convert.ToString(e.Key, CultureInfo.InvariantCulture), e.Value);
                    return;
                case System.Collections.IEnumerable list:
                    var i = 0;
                    foreach (var item in list) FlattenInto(into, name + "." + (++i).ToString(CultureInfo.InvariantCulture), item);
                    return;
                default:
                    // A plain object (a Tag): its public properties in declaration order.
                    foreach (var p in value.GetType().GetProperties())
                        if (p.CanRead && p.GetIndexParameters().Length == 0)
                            FlattenInto(into, name + "." + p.Name, p.GetValue(value));
                    return;
            }
        }

        private const string HexDigits = "0123456789abcdef";

        /// <summary>Lower-case hex, without a string per byte (this runs three times per signed request).</summary>
        private static string Hex(byte[] bytes)
        {
            var chars = new char[bytes.Length * 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = HexDigits[bytes[i] >> 4];
                chars[2 * i + 1] = HexDigits[bytes[i] & 0xF];
            }
            return new string(chars);
        }
    }
}
