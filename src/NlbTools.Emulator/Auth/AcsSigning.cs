using System.Security.Cryptography;
using System.Text;

namespace NlbTools.Emulator.Auth;

/// <summary>
/// The two request signatures of the Alibaba Cloud gateway, computed the way the server does it.
/// Written independently of the client's signer on purpose: tests check it against the official vectors
/// and against the official npm client, so a shared bug cannot hide. Facts: reference/nlb-api.md §4.
/// </summary>
internal static class AcsSigning
{
    public const string V3Algorithm = "ACS3-HMAC-SHA256";
    public const string EmptyBodySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>RFC 3986 encoding as the SDKs do it: UTF-8, unreserved A-Z a-z 0-9 - _ . ~, uppercase hex.</summary>
    public static string PercentEncode(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var sb = new StringBuilder(bytes.Length + 16);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~')
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }

    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string HmacSha256Hex(string secret, string message)
        => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(message)));

    public sealed record V3Signature(string CanonicalRequest, string StringToSign, string SignedHeaders, string Signature);

    /// <summary>
    /// ACS3-HMAC-SHA256. <paramref name="headers"/> are the headers to sign (any case; duplicates are joined
    /// with ", " after sorting, as the C# runtime does). Query keys are not encoded (the SDKs do not either).
    /// </summary>
    public static V3Signature ComputeV3(string method, string canonicalUri, IEnumerable<KeyValuePair<string, string>> query,
        IEnumerable<KeyValuePair<string, string>> headers, string hashedPayload, string secret)
    {
        var uri = string.IsNullOrEmpty(canonicalUri) ? "/" : canonicalUri.Replace("+", "%20").Replace("*", "%2A").Replace("%7E", "~");
        var canonicalQuery = string.Join("&", query
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + PercentEncode(p.Value ?? "")));
        var grouped = headers
            .GroupBy(h => h.Key.ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(", ", g.Select(h => (h.Value ?? "").Trim()).OrderBy(v => v, StringComparer.Ordinal))))
            .ToList();
        var canonicalHeaders = new StringBuilder();
        foreach (var (name, value) in grouped) canonicalHeaders.Append(name).Append(':').Append(value).Append('\n');
        var signedHeaders = string.Join(";", grouped.Select(h => h.Name));
        var canonicalRequest = method + "\n" + uri + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + hashedPayload;
        var stringToSign = V3Algorithm + "\n" + Sha256Hex(Encoding.UTF8.GetBytes(canonicalRequest));
        return new V3Signature(canonicalRequest, stringToSign, signedHeaders, HmacSha256Hex(secret, stringToSign));
    }

    /// <summary>RPC V2 HMAC-SHA1 over every parameter except Signature; key = secret + "&amp;".</summary>
    public static string ComputeV2(string method, IEnumerable<KeyValuePair<string, string>> parameters, string secret, out string stringToSign)
    {
        var canonical = string.Join("&", parameters
            .Where(p => p.Key != "Signature")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => PercentEncode(p.Key) + "=" + PercentEncode(p.Value ?? "")));
        stringToSign = method + "&" + PercentEncode("/") + "&" + PercentEncode(canonical);
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret + "&"), Encoding.UTF8.GetBytes(stringToSign));
        return Convert.ToBase64String(mac);
    }

    /// <summary>Constant-time comparison so timing does not leak how much of a signature matched.</summary>
    public static bool SignaturesEqual(string expected, string actual)
        => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}
