using NlbTools.Client.Models;

namespace NlbTools.Emulator.State;

/// <summary>The built-in TLS policies every region has (ids from the API reference).</summary>
internal static class SystemSecurityPolicies
{
    private const string Tls10Ciphers = "ECDHE-ECDSA-AES128-SHA,ECDHE-ECDSA-AES256-SHA,ECDHE-RSA-AES128-SHA,ECDHE-RSA-AES256-SHA,AES128-SHA,AES256-SHA,DES-CBC3-SHA";
    private const string Tls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256,ECDHE-ECDSA-AES256-GCM-SHA384,ECDHE-RSA-AES128-GCM-SHA256,ECDHE-RSA-AES256-GCM-SHA384,AES128-GCM-SHA256,AES256-GCM-SHA384";
    private const string StrictCiphers = "ECDHE-ECDSA-AES128-GCM-SHA256,ECDHE-ECDSA-AES256-GCM-SHA384,ECDHE-RSA-AES128-GCM-SHA256,ECDHE-RSA-AES256-GCM-SHA384";

    public static readonly IReadOnlyList<SecurityPolicy> All = new[]
    {
        Policy("tls_cipher_policy_1_0", "TLSv1.0,TLSv1.1,TLSv1.2", Tls10Ciphers),
        Policy("tls_cipher_policy_1_1", "TLSv1.1,TLSv1.2", Tls10Ciphers),
        Policy("tls_cipher_policy_1_2", "TLSv1.2", Tls12Ciphers + ",AES128-SHA,AES256-SHA"),
        Policy("tls_cipher_policy_1_2_strict", "TLSv1.2", StrictCiphers),
        Policy("tls_cipher_policy_1_2_strict_with_1_3", "TLSv1.2,TLSv1.3", StrictCiphers + ",TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256"),
    };

    public static bool IsSystemPolicy(string id) => All.Any(p => p.SecurityPolicyId == id);

    private static SecurityPolicy Policy(string id, string tls, string ciphers)
        => new() { SecurityPolicyId = id, SecurityPolicyName = id, TlsVersion = tls, Ciphers = ciphers };
}
