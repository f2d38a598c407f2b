using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using NlbTools.Emulator.Control;
using NlbTools.Emulator.Faults;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Api;

/// <summary>
/// The RPC endpoint at "/", GET and POST. One path for every action:
/// read → latency → resolve action → authenticate → permission → fault → handler → answer → request log.
/// Every answer, error or not, carries a RequestId (body and x-acs-request-id header).
/// </summary>
internal static class RpcEndpoint
{
    public const int MaxBodyBytes = 1024 * 1024;

    public static async Task HandleAsync(HttpContext http, EmulatorRuntime runtime)
    {
        var requestId = Guid.NewGuid().ToString().ToUpperInvariant();
        http.Response.Headers["x-acs-request-id"] = requestId;
        RpcCall? call = null;
        string? keyId = null, signatureVersion = null, code = null;
        var status = 200;
        try
        {
            var method = http.Request.Method;
            if (method != HttpMethods.Get && method != HttpMethods.Post) throw ApiError.UnsupportedHttpMethod(method);
            var body = await ReadBodyAsync(http);
            var query = UrlEncodedForm.ParseUrlEncoded(http.Request.QueryString.Value ?? "");
            var form = UrlEncodedForm.IsForm(http.Request.ContentType)
                ? UrlEncodedForm.ParseUrlEncoded(UrlEncodedForm.DecodeBody(body))
                : new List<KeyValuePair<string, string>>();
            call = new RpcCall(method, http.Request.PathBase + http.Request.Path, query, form, body, http.Request.Headers);

            // Latency is awaited outside every lock, so concurrent requests overlap instead of queueing.
            if (runtime.Options.LatencyMs > 0) await Task.Delay(runtime.Options.LatencyMs, http.RequestAborted);

            var action = call.Action ?? throw ApiError.MissingParameter("Action");
            var version = call.Version ?? throw ApiError.MissingParameter("Version");
            var handler = runtime.Actions.Find(version, action)
                ?? throw (runtime.Actions.HasVersion(version)
                    ? ApiError.InvalidActionNotFound(action, version)
                    : ApiError.InvalidParameter("Version", $"'{version}' is not a version this endpoint serves."));

            var unsigned = runtime.Actions.IsUnsigned(version, action);
            var who = unsigned ? new Auth.Authenticated(new AccessKeyEntry(), "Unsigned") : runtime.Authenticator.Authenticate(call);
            keyId = unsigned ? null : who.Key.AccessKeyId;
            signatureVersion = who.SignatureVersion;
            if (who.Key.DeniedActions?.Contains(action, StringComparer.OrdinalIgnoreCase) == true) throw Forbidden(action, who.Key);

            var fault = runtime.Faults.Draw(action);
            if (fault != null && !runtime.Faults.StrikesAfterAction(fault))
            {
                code = fault;
                status = 0;
                await InjectAsync(http, runtime, fault, call);
                return;
            }

            var result = await handler(new ActionContext
            {
                Action = action,
                Version = version,
                Parameters = new ParameterReader(call.Parameters),
                AccessKey = who.Key,
                Runtime = runtime,
                RequestId = requestId,
                Http = http,
            });
            // RequestId first, then the handler's fields: spliced as text, so a large page is serialized once.
            var payload = Newtonsoft.Json.JsonConvert.SerializeObject(result, EmulatorJson.Output);
            var text = "{\"RequestId\":\"" + requestId + "\"" + (payload.Length > 2 ? "," + payload.Substring(1) : "}");
            if (fault != null)
            {
                // LoseAnswer: the action ran; the caller never hears about it.
                code = fault;
                status = 0;
                await InjectAsync(http, runtime, fault, call);
                return;
            }
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/json;charset=utf-8";
            await http.Response.WriteAsync(text, http.RequestAborted);
        }
        catch (ApiError e)
        {
            status = e.HttpStatus;
            code = e.Code;
            await WriteErrorAsync(http, requestId, e);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            status = 0;
            code ??= "ClientClosedRequest";
        }
        catch (Exception e)
        {
            // A bug, not the caller's fault: say so without a stack trace on the wire.
            Console.Error.WriteLine($"NlbTools.Emulator: internal error on request {requestId}: {e}");
            status = 500;
            code = "InternalError";
            if (!http.Response.HasStarted)
                await WriteErrorAsync(http, requestId, new ApiError(500, "InternalError", "The request processing has failed due to some unknown error."));
        }
        finally
        {
            var parameters = call?.Parameters ?? new Dictionary<string, string>();
            runtime.Log.Add(new RequestLogEntry
            {
                Time = runtime.Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
                RequestId = requestId,
                Action = call?.Action,
                Version = call?.Version,
                AccessKeyId = keyId,
                SignatureVersion = signatureVersion,
                Parameters = RequestLog.Redact(parameters),
                HttpStatus = status,
                Code = code,
                ClientToken = parameters.GetValueOrDefault("ClientToken"),
                DryRun = bool.TryParse(parameters.GetValueOrDefault("DryRun"), out var dry) && dry,
            });
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        var tooLarge = new ApiError(413, "RequestEntityTooLarge", $"The request body is larger than {MaxBodyBytes} bytes (1 MiB).");
        if (http.Request.ContentLength > MaxBodyBytes) throw tooLarge;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBodyBytes) throw tooLarge;
            }
        }
        catch (BadHttpRequestException e)
        {
            throw new ApiError(e.StatusCode == 413 ? 413 : 400, e.StatusCode == 413 ? "RequestEntityTooLarge" : "MalformedRequest", "The request body could not be read: " + e.Message);
        }
        return buffer.ToArray();
    }

    private static ApiError Forbidden(string action, AccessKeyEntry key) => new(403, "Forbidden.NoPermission", "Authentication is failed for NoPermission.")
    {
        AccessDeniedDetail = new Dictionary<string, string>
        {
            ["AuthAction"] = "nlb:" + action,
            ["AuthPrincipalType"] = key.SecurityToken != null ? "AssumedRoleUser" : "SubUser",
            ["AuthPrincipalOwnerId"] = "1234567890123456",
            ["AuthPrincipalDisplayName"] = key.AccessKeyId,
            ["NoPermissionType"] = "ImplicitDeny",
            ["PolicyType"] = "AccountLevelIdentityBasedPolicy",
            ["EncodedDiagnosticInfo"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{{\"AuthAction\":\"nlb:{action}\",\"NoPermissionType\":\"ImplicitDeny\"}}")),
        },
    };

    private static async Task InjectAsync(HttpContext http, EmulatorRuntime runtime, string fault, RpcCall call)
    {
        switch (fault)
        {
            case FaultInjector.ConnectionReset:
                http.Abort();
                return;
            case FaultInjector.Timeout:
                // Hang past any client timeout; end when the client gives up or the emulator stops.
                var stopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping))
                {
                    try { await Task.Delay(Timeout.Infinite, linked.Token); }
                    catch (OperationCanceledException) { }
                }
                http.Abort();
                return;
            case FaultInjector.Throttling:
                throw new ApiError(400, "Throttling.User", "Request was denied due to user flow control.") { RetryAfterMs = runtime.Faults.RetryAfterMs };
            case FaultInjector.ServiceUnavailable:
                throw new ApiError(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.");
            case FaultInjector.IncorrectStatus:
                throw ApiError.IncorrectListenerStatus(call.Parameters.GetValueOrDefault("ListenerId") ?? "");
            default:
                throw new ApiError(400, "SystemBusy", "System is busy, please try again later.");
        }
    }

    public static Task WriteErrorAsync(HttpContext http, string requestId, ApiError e)
    {
        var json = new JObject
        {
            ["RequestId"] = requestId,
            ["HostId"] = http.Request.Host.HasValue ? http.Request.Host.Value : "nlb.aliyuncs.com",
            ["Code"] = e.Code,
            ["Message"] = e.Message,
            ["Recommend"] = $"https://api.aliyun.com/troubleshoot?q={e.Code}&product=Nlb&requestId={requestId}",
        };
        if (e.AccessDeniedDetail != null) json["AccessDeniedDetail"] = JObject.FromObject(e.AccessDeniedDetail);
        if (e.RetryAfterMs is int ms) http.Response.Headers["x-acs-retry-after"] = ms.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteJsonAsync(http, e.HttpStatus, json);
    }

    public static async Task WriteJsonAsync(HttpContext http, int status, JToken json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json;charset=utf-8";
        await http.Response.WriteAsync(json.ToString(Newtonsoft.Json.Formatting.None), http.RequestAborted);
    }
}
