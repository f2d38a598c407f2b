using System.Globalization;
using NlbTools.Emulator.Api;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Auth;

/// <summary>Who signed a request and how.</summary>
internal sealed record Authenticated(AccessKeyEntry Key, string SignatureVersion);

/// <summary>
/// Verifies ACS3-HMAC-SHA256 (V3) and RPC HMAC-SHA1 (V2) signatures against the state's AccessKeys, the way
/// the gateway does: unknown key, malformed signature, 15-minute timestamp window, replayed nonce, STS token.
/// The signature is checked before the nonce is recorded, so a forged request cannot burn a nonce.
/// </summary>
internal sealed class Authenticator
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private const string V3Prefix = AcsSigning.V3Algorithm + " ";

    private readonly StateStore _state;
    private readonly NonceCache _nonces;
    private readonly TimeProvider _clock;

    public Authenticator(StateStore state, NonceCache nonces, TimeProvider clock)
    {
        _state = state;
        _nonces = nonces;
        _clock = clock;
    }

    public Authenticated Authenticate(RpcCall call)
    {
        var authorization = call.Header("Authorization");
        if (authorization != null && authorization.StartsWith("ACS3-", StringComparison.Ordinal)) return VerifyV3(call, authorization);
        if (call.Parameters.ContainsKey("Signature") || call.Parameters.ContainsKey("SignatureMethod")) return VerifyV2(call);
        if (authorization != null) throw ApiError.IncompleteSignature($"the Authorization header must start with {V3Prefix.Trim()}.");
        throw ApiError.IncompleteSignature("the request is not signed: send an ACS3-HMAC-SHA256 Authorization header (V3) or the Signature parameters (V2).");
    }

    private Authenticated VerifyV3(RpcCall call, string authorization)
    {
        if (!authorization.StartsWith(V3Prefix, StringComparison.Ordinal))
            throw ApiError.IncompleteSignature($"only {AcsSigning.V3Algorithm} is supported.");
        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in authorization.Substring(V3Prefix.Length).Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) continue;
            var name = part.Substring(0, eq).Trim();
            var value = part.Substring(eq + 1).Trim();
            if (name == "Credential") credential = value;
            else if (name == "SignedHeaders") signedHeaders = value;
            else if (name == "Signature") signature = value;
        }
        if (string.IsNullOrEmpty(credential) || string.IsNullOrEmpty(signedHeaders) || string.IsNullOrEmpty(signature))
            throw ApiError.IncompleteSignature("the Authorization header needs Credential=, SignedHeaders= and Signature=.");

        // One value each: two headers canonicalize like one "a, b" header but would count as another nonce.
        foreach (var name in SingleValuedHeaders)
            if (call.Headers[name].Count > 1) throw ApiError.IncompleteSignature($"the header {name} is sent more than once.");
        var key = FindKey(credential);
        var date = call.Header("x-acs-date") ?? throw ApiError.MissingParameter("x-acs-date");
        CheckTimestamp(date);
        var nonce = call.Header("x-acs-signature-nonce") ?? throw ApiError.MissingParameter("x-acs-signature-nonce");
        var contentHash = call.Header("x-acs-content-sha256") ?? throw ApiError.MissingParameter("x-acs-content-sha256");

        var names = signedHeaders.Split(';');
        foreach (var present in call.Headers.Keys)
        {
            var lower = present.ToLowerInvariant();
            // Content-Type decides how the body is read (form or not), so an unsigned one could change its meaning.
            if ((lower == "host" || lower == "content-type" || lower.StartsWith("x-acs-", StringComparison.Ordinal)) && !names.Contains(lower))
                throw ApiError.IncompleteSignature($"the header {lower} is present but not in SignedHeaders.");
        }
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var name in names)
        {
            var values = call.Headers[name];
            if (values.Count == 0) throw ApiError.IncompleteSignature($"SignedHeaders names {name}, which the request does not carry.");
            foreach (var v in values) headers.Add(new(name, v ?? ""));
        }

        var computed = AcsSigning.ComputeV3(call.Method, call.Path, call.Query, headers, contentHash, key.AccessKeySecret);
        if (!AcsSigning.SignaturesEqual(computed.Signature, signature.ToLowerInvariant()))
            throw new ApiError(403, "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation. server string to sign is:" + computed.StringToSign
                + " canonical request is:" + computed.CanonicalRequest);
        if (!string.Equals(AcsSigning.Sha256Hex(call.Body), contentHash, StringComparison.OrdinalIgnoreCase))
            throw new ApiError(403, "SignatureDoesNotMatch", "The x-acs-content-sha256 header does not match the SHA-256 of the request body.");

        CheckSecurityToken(key, call.Header("x-acs-security-token"));
        UseNonce(key, nonce);
        return new Authenticated(key, "V3");
    }

    private Authenticated VerifyV2(RpcCall call)
    {
        string Required(string name) => call.Parameters.TryGetValue(name, out var v) && v.Length > 0 ? v : throw ApiError.MissingParameter(name);
        foreach (var name in SingleValuedParameters)
            if (call.Query.Concat(call.Form).Count(p => p.Key == name) > 1) throw ApiError.IncompleteSignature($"the parameter {name} is sent more than once.");
        var signature = Required("Signature");
        var method = Required("SignatureMethod");
        if (method != "HMAC-SHA1") throw ApiError.IncompleteSignature($"SignatureMethod {method} is not supported; use HMAC-SHA1.");
        var version = call.Parameters.GetValueOrDefault("SignatureVersion");
        if (version != null && version != "1.0") throw ApiError.IncompleteSignature($"SignatureVersion {version} is not supported; use 1.0.");
        var key = FindKey(Required("AccessKeyId"));
        CheckTimestamp(Required("Timestamp"));
        var nonce = Required("SignatureNonce");

        var signed = call.Query.Concat(call.Form).Where(p => p.Key != "Signature");
        var expected = AcsSigning.ComputeV2(call.Method, signed, key.AccessKeySecret, out var stringToSign);
        if (!AcsSigning.SignaturesEqual(expected, signature))
            throw new ApiError(403, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:" + stringToSign);

        CheckSecurityToken(key, call.Parameters.GetValueOrDefault("SecurityToken"));
        UseNonce(key, nonce);
        return new Authenticated(key, "V2");
    }

    private AccessKeyEntry FindKey(string accessKeyId)
        => _state.FindAccessKey(accessKeyId) ?? throw new ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");

    /// <summary>Headers that carry one value; a second copy is refused.</summary>
    private static readonly string[] SingleValuedHeaders =
    {
        "Authorization", "Host", "Content-Type", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256",
        "x-acs-security-token", "x-acs-action", "x-acs-version",
    };

    /// <summary>The V2 signature's own parameters: one each.</summary>
    private static readonly string[] SingleValuedParameters =
    {
        "AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "SecurityToken", "Action", "Version",
    };

    /// <summary>ISO 8601 in UTC to the second, the only form the SDKs send and the gateway takes.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    private void CheckTimestamp(string value)
    {
        if (!DateTimeOffset.TryParseExact(value, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            throw new ApiError(400, "IllegalTimestamp", $"The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied or has the wrong format: '{Shown(value)}' (expected yyyy-MM-ddTHH:mm:ssZ in UTC, e.g. 2026-01-02T03:04:05Z).");
        var now = _clock.GetUtcNow();
        if ((now - at).Duration() > Window)
            throw new ApiError(400, "InvalidTimeStamp.Expired", $"Specified time stamp or date value is expired: {value} is more than 15 minutes from the server time {now:yyyy-MM-ddTHH:mm:ssZ}.");
    }

    /// <summary>A caller's value as an error message may quote it: short, without control characters.</summary>
    private static string Shown(string value)
    {
        var cut = value.Length <= 64 ? value : value.Substring(0, 64) + "...";
        return new string(cut.Select(ch => char.IsControl(ch) ? '?' : ch).ToArray());
    }

    private void CheckSecurityToken(AccessKeyEntry key, string? token)
    {
        if (key.SecurityToken == null)
        {
            if (token != null) throw new ApiError(400, "InvalidSecurityToken.MismatchWithAccessKey", "A security token was sent with an AccessKey that is not an STS key.");
            return;
        }
        if (token == null || !AcsSigning.SignaturesEqual(key.SecurityToken, token))
            throw new ApiError(400, "InvalidSecurityToken.MismatchWithAccessKey", "The security token is missing or does not belong to this STS AccessKey.");
        if (key.Expiration != null && DateTimeOffset.TryParse(key.Expiration, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires) && _clock.GetUtcNow() >= expires)
            throw new ApiError(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.");
    }

    private void UseNonce(AccessKeyEntry key, string nonce)
    {
        if (!_nonces.TryUse(key.AccessKeyId, nonce, _clock.GetUtcNow()))
            throw new ApiError(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    }
}
