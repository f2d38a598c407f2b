using System.Globalization;
using System.Security.Cryptography;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Identity;

/// <summary>
/// Issues temporary credentials (STS, ECS metadata) and makes the emulator accept them: each becomes an
/// AccessKey of the live state with its SecurityToken and Expiration, so a request signed with it must carry
/// the matching token and fails with InvalidSecurityToken.Expired once it has expired (until a reset).
/// </summary>
internal static class TemporaryCredentials
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789";

    /// <summary>The lifetime: --credentials-ttl-seconds when given (short, for refresh tests), else the requested one.</summary>
    public static TimeSpan Lifetime(EmulatorRuntime runtime, int requestedSeconds)
        => TimeSpan.FromSeconds(runtime.Options.CredentialsTtlSeconds ?? requestedSeconds);

    /// <param name="deniedActions">
    /// What the new key may not call: the caller's own denials (AssumeRole), so that a read-only key cannot mint
    /// itself a key that writes. Null for the metadata and OIDC routes, which have no caller key.
    /// </param>
    public static AccessKeyEntry Issue(EmulatorRuntime runtime, TimeSpan lifetime, IReadOnlyCollection<string>? deniedActions = null)
    {
        var now = runtime.Clock.GetUtcNow();
        // Expiration is written to the second; the key expires at that second, not a fraction later.
        var expires = DateTimeOffset.ParseExact(FormatTime(now + lifetime), "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var entry = new AccessKeyEntry
        {
            AccessKeyId = "STS." + Random(25),
            AccessKeySecret = Random(44),
            SecurityToken = "CAIS" + Random(120),
            Expiration = FormatTime(expires),
            DeniedActions = deniedActions is { Count: > 0 } ? deniedActions.ToList() : null,
        };
        runtime.State.AddIssuedAccessKey(entry, expires, now, Auth.Authenticator.Window);
        return entry;
    }

    /// <summary>The Credentials object of STS and of the metadata service.</summary>
    public static Dictionary<string, object?> ToCredentials(AccessKeyEntry key) => new()
    {
        ["AccessKeyId"] = key.AccessKeyId,
        ["AccessKeySecret"] = key.AccessKeySecret,
        ["SecurityToken"] = key.SecurityToken,
        ["Expiration"] = key.Expiration,
    };

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Random(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return new string(chars);
    }
}
