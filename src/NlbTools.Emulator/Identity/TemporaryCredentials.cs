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

    public static AccessKeyEntry Issue(EmulatorRuntime runtime, TimeSpan lifetime)
    {
        var entry = new AccessKeyEntry
        {
            AccessKeyId = "STS." + Random(25),
            AccessKeySecret = Random(44),
            SecurityToken = "CAIS" + Random(120),
            Expiration = FormatTime(runtime.Clock.GetUtcNow() + lifetime),
        };
        runtime.State.AddAccessKey(entry);
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
