using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NlbTools.Emulator.Api;

namespace NlbTools.Emulator.Identity;

/// <summary>
/// STS (2015-04-01) as the credentials libraries call it: AssumeRole (signed, V2 or V3, by any key the
/// emulator knows, STS keys included, so roles can be chained) and AssumeRoleWithOIDC (unsigned by design:
/// the OIDC token is the proof). Both answer temporary credentials the NLB actions then accept.
/// </summary>
internal static class StsActions
{
    public const string Version = "2015-04-01";
    private const string AccountId = "1234567890123456";

    private static readonly Regex RoleArnPattern = new(@"^acs:ram::(\d+):role/([A-Za-z0-9._@+=,/-]{1,64})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex SessionNamePattern = new(@"^[A-Za-z0-9._@-]{2,64}$", RegexOptions.CultureInvariant);
    private static readonly Regex OidcProviderArnPattern = new(@"^acs:ram::\d+:oidc-provider/[A-Za-z0-9._-]{1,128}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static object AssumeRole(ActionContext c)
    {
        var role = Role(c);
        var externalId = c.Parameters.String("ExternalId");
        if (externalId != null && (externalId.Length < 2 || externalId.Length > 1224))
            throw ApiError.InvalidParameter("ExternalId", "it must be 2 to 1224 characters long.");
        return Answer(c, role, extra: null);
    }

    public static object AssumeRoleWithOidc(ActionContext c)
    {
        var providerArn = c.Parameters.Required("OIDCProviderArn");
        if (!OidcProviderArnPattern.IsMatch(providerArn))
            throw new ApiError(400, "InvalidParameter.OIDCProviderArn", "The parameter OIDCProviderArn is invalid.");
        var token = c.Parameters.Required("OIDCToken");
        // A JWT: header.payload.signature. The emulator trusts any well-formed token, like a test issuer would.
        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
            throw new ApiError(400, "AuthenticationFail.OIDCToken.Invalid", "The OIDCToken is not a well-formed JWT (header.payload.signature).");
        var role = Role(c);
        return Answer(c, role, new JObject
        {
            ["OIDCTokenInfo"] = new JObject
            {
                ["Issuer"] = "https://oidc.emulator.nlbtools.local",
                ["Subject"] = "system:serviceaccount:default:" + role.SessionName,
                ["ClientIds"] = "sts.aliyuncs.com",
            },
        });
    }

    private sealed record RoleRequest(string Arn, string RoleName, string SessionName, int DurationSeconds);

    private static RoleRequest Role(ActionContext c)
    {
        var arn = c.Parameters.Required("RoleArn");
        var match = RoleArnPattern.Match(arn);
        if (!match.Success) throw new ApiError(400, "InvalidParameter.RoleArn", "The parameter RoleArn is invalid: expected acs:ram::<account>:role/<name>.");
        var session = c.Parameters.String("RoleSessionName")
            ?? throw new ApiError(400, "MissingRoleSessionName", "RoleSessionName is mandatory for this action.");
        if (!SessionNamePattern.IsMatch(session))
            throw new ApiError(400, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName is invalid: 2 to 64 letters, digits, '.', '@', '-' or '_'.");
        var duration = c.Parameters.Int("DurationSeconds") ?? 3600;
        if (duration < 900 || duration > 43200)
            throw new ApiError(400, "InvalidParameter.DurationSeconds", "The parameter DurationSeconds must be from 900 to 43200 seconds.");
        var policy = c.Parameters.String("Policy");
        if (policy != null)
        {
            try { if (JToken.Parse(policy) is not JObject) throw new JsonException(); }
            catch (JsonException) { throw new ApiError(400, "InvalidParameter.PolicyGrammar", "The parameter Policy is not a JSON policy document."); }
        }
        return new RoleRequest(arn, match.Groups[2].Value, session, duration);
    }

    private static object Answer(ActionContext c, RoleRequest role, JObject? extra)
    {
        var key = TemporaryCredentials.Issue(c.Runtime, TemporaryCredentials.Lifetime(c.Runtime, role.DurationSeconds), c.AccessKey.DeniedActions);
        var answer = new JObject
        {
            ["AssumedRoleUser"] = new JObject
            {
                ["Arn"] = $"acs:ram::{AccountId}:role/{role.RoleName}/{role.SessionName}",
                ["AssumedRoleId"] = $"3{AccountId.Substring(1)}:{role.SessionName}",
            },
            ["Credentials"] = JObject.FromObject(TemporaryCredentials.ToCredentials(key)),
        };
        if (extra != null) foreach (var p in extra.Properties()) answer.Add(p.Name, p.Value);
        return answer;
    }
}
