using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json.Linq;

namespace NlbTools.Emulator.Identity;

/// <summary>
/// The ECS instance metadata service's RAM-role paths (nlb-api.md §6.5), for EcsRamRole end to end:
/// PUT /latest/api/token (IMDSv2, TTL 1..21600 s), GET /latest/meta-data/ram/security-credentials/ (the
/// attached role, --ecs-role) and GET .../&lt;role&gt; (temporary credentials the NLB actions accept).
/// A token, when sent, must be valid; without one the request is served as IMDSv1, as ECS does by default.
/// </summary>
internal sealed class MetadataService
{
    private const string TokenHeader = "X-aliyun-ecs-metadata-token";
    private const string TtlHeader = "X-aliyun-ecs-metadata-token-ttl-seconds";

    private readonly EmulatorRuntime _runtime;

    private MetadataService(EmulatorRuntime runtime) => _runtime = runtime;

    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        var service = new MetadataService(runtime);
        app.MapPut("/latest/api/token", service.IssueToken);
        app.MapGet("/latest/meta-data/ram/security-credentials/", service.ListRoles);
        app.MapGet("/latest/meta-data/ram/security-credentials/{role}", service.RoleCredentials);
    }

    private string RoleName => _runtime.Options.EcsRoleName;

    private Task IssueToken(HttpContext http)
    {
        if (!int.TryParse(http.Request.Headers[TtlHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var ttl) || ttl < 1 || ttl > 21600)
            return Text(http, 400, $"{TtlHeader} must be a whole number of seconds from 1 to 21600.");
        var token = _runtime.MetadataTokens.Issue(_runtime.Clock.GetUtcNow(), TimeSpan.FromSeconds(ttl));
        return Text(http, 200, token);
    }

    private Task ListRoles(HttpContext http)
        => TokenProblem(http) is { } problem ? problem : Text(http, 200, RoleName);

    private Task RoleCredentials(HttpContext http, string role)
    {
        if (TokenProblem(http) is { } problem) return problem;
        if (!string.Equals(role, RoleName, StringComparison.Ordinal)) return Text(http, 404, "Not Found");
        var key = TemporaryCredentials.Issue(_runtime, TemporaryCredentials.Lifetime(_runtime, 21600));
        var json = JObject.FromObject(TemporaryCredentials.ToCredentials(key));
        json.AddFirst(new JProperty("Code", "Success"));
        json["LastUpdated"] = TemporaryCredentials.FormatTime(_runtime.Clock.GetUtcNow());
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/plain"; // what ECS sends, although the body is JSON
        return http.Response.WriteAsync(json.ToString(Newtonsoft.Json.Formatting.Indented), http.RequestAborted);
    }

    /// <summary>Null when the request may proceed: no token (IMDSv1) or a valid one.</summary>
    private Task? TokenProblem(HttpContext http)
    {
        var token = http.Request.Headers[TokenHeader].ToString();
        if (token.Length == 0) return null;
        if (_runtime.MetadataTokens.IsValid(token, _runtime.Clock.GetUtcNow())) return null;
        return Text(http, 401, "Unauthorized");
    }

    private static Task Text(HttpContext http, int status, string text)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain";
        return http.Response.WriteAsync(text, http.RequestAborted);
    }
}
