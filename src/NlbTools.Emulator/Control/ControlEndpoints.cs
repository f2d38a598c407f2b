using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NlbTools.Emulator.Api;
using NlbTools.Emulator.Faults;
using NlbTools.Emulator.Quotas;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Control;

/// <summary>
/// /_emulator/* (design.md "Emulator control endpoints"): no signature, loopback callers only.
/// GET state | requests | jobs | faults | ratelimits; POST faults | ratelimits | reset; DELETE listeners/{id}.
/// </summary>
internal static class ControlEndpoints
{
    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        app.MapGet("/_emulator/state", http => Guarded(http, () =>
        {
            // Secrets are masked unless asked for (?secrets=true), so the view can be shown or logged safely.
            var snapshot = runtime.State.Snapshot();
            if (!string.Equals(http.Request.Query["secrets"], "true", StringComparison.OrdinalIgnoreCase))
                snapshot.AccessKeys = snapshot.AccessKeys.Select(k => new AccessKeyEntry
                {
                    AccessKeyId = k.AccessKeyId,
                    AccessKeySecret = "****",
                    SecurityToken = k.SecurityToken == null ? null : "****",
                    Expiration = k.Expiration,
                    DeniedActions = k.DeniedActions,
                }).ToList();
            return Ok(http, snapshot);
        }));
        app.MapGet("/_emulator/requests", http => Guarded(http, () =>
        {
            var action = http.Request.Query["action"].ToString();
            var entries = runtime.Log.Snapshot();
            if (action.Length > 0) entries = entries.Where(e => string.Equals(e.Action, action, StringComparison.OrdinalIgnoreCase)).ToList();
            return Ok(http, entries);
        }));
        app.MapGet("/_emulator/jobs", http => Guarded(http, () =>
        {
            List<object> jobs;
            lock (runtime.State.Gate)
                jobs = runtime.Jobs.All.Select(j => (object)new
                {
                    j.JobId, j.Action, j.ResourceId, j.ClientToken, j.Status, j.Parameters,
                    CreateTime = j.CreateTime.ToString("o"), FinishTime = j.FinishTime?.ToString("o"),
                }).ToList();
            return Ok(http, jobs);
        }));
        app.MapGet("/_emulator/faults", http => Guarded(http, () =>
        {
            // The configuration, plus Injected: how many faults of each code were injected since it was set.
            var view = JObject.FromObject(runtime.Faults.Current, EmulatorJson.OutputSerializer);
            view["Injected"] = JObject.FromObject(runtime.Faults.Injected);
            return WriteAsync(http, 200, view);
        }));
        app.MapPost("/_emulator/faults", http => Guarded(http, async () =>
        {
            var text = System.Text.Encoding.UTF8.GetString(await RpcEndpoint.ReadBodyAsync(http, MaxBodyBytes));
            FaultConfig? config;
            try { config = JsonConvert.DeserializeObject<FaultConfig>(text, EmulatorJson.StateInput); }
            catch (JsonException e) { throw new ApiError(400, "InvalidParameter", "The faults body is not valid: " + e.Message); }
            config ??= new FaultConfig();
            if (FaultInjector.Check(config) is { } problem) throw new ApiError(400, "InvalidParameter", problem);
            runtime.Faults.Set(config);
            await WriteAsync(http, 200, config);
        }));
        app.MapGet("/_emulator/ratelimits", http => Guarded(http, () =>
        {
            // The limits, plus Counts: per action, requests allowed and throttled since they were set.
            var view = JObject.FromObject(runtime.RateLimits.Current, EmulatorJson.OutputSerializer);
            view["Counts"] = JObject.FromObject(runtime.RateLimits.Counts, EmulatorJson.OutputSerializer);
            return WriteAsync(http, 200, view);
        }));
        app.MapPost("/_emulator/ratelimits", http => Guarded(http, async () =>
        {
            var text = await ReadBoundedAsync(http);
            RateLimitConfig? config;
            try { config = JsonConvert.DeserializeObject<RateLimitConfig>(text, EmulatorJson.StateInput); }
            catch (JsonException e) { throw new ApiError(400, "InvalidParameter", "The ratelimits body is not valid: " + e.Message); }
            config ??= new RateLimitConfig();
            if (RateLimiter.Check(config) is { } problem) throw new ApiError(400, "InvalidParameter", problem);
            runtime.RateLimits.Set(config);
            await WriteAsync(http, 200, runtime.RateLimits.Current);
        }));
        app.MapPost("/_emulator/reset", http => Guarded(http, () =>
        {
            runtime.Reset();
            return Ok(http, new { Status = "Reset" });
        }));
        // Deletes a listener behind the client's back (a console user, another tool), for tests of what the
        // cmdlets then report. Its running job, if any, ends Failed without applying.
        app.MapDelete("/_emulator/listeners/{listenerId}", http => Guarded(http, () =>
        {
            var listenerId = (string)http.Request.RouteValues["listenerId"]!;
            lock (runtime.State.Gate)
                if (!runtime.State.RemoveListener(listenerId))
                    throw ApiError.ResourceNotFound("listener", listenerId);
            return Ok(http, new { ListenerId = listenerId, Status = "Deleted" });
        }));
        app.Map("/_emulator/{**rest}", http => Guarded(http, () =>
            throw new ApiError(404, "InvalidAction.NotFound", "Unknown control endpoint; use GET state|requests|jobs|faults|ratelimits, POST faults|ratelimits|reset or DELETE listeners/{id} under /_emulator/.")));
    }

    /// <summary>A control body is a small JSON document.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private static Task Guarded(HttpContext http, Func<Task> body) => GuardedCore(http, body);

    private static async Task GuardedCore(HttpContext http, Func<Task> body)
    {
        var requestId = Guid.NewGuid().ToString().ToUpperInvariant();
        http.Response.Headers["x-acs-request-id"] = requestId;
        try
        {
            var options = http.RequestServices.GetRequiredService<EmulatorOptions>();
            if (options.ControlToken is { } token)
            {
                // With a token (required beyond loopback), it is the proof, from any caller.
                var sent = http.Request.Headers[EmulatorOptions.ControlTokenHeader];
                if (sent.Count != 1 || !Auth.AcsSigning.SignaturesEqual(token, sent.ToString()))
                    throw new ApiError(401, "InvalidControlToken", $"The control endpoints need the --control-token value in one {EmulatorOptions.ControlTokenHeader} header.");
            }
            else if (http.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
                throw new ApiError(403, "Forbidden.ControlEndpoint", "The control endpoints answer loopback callers only.");
            // A web page can POST a form or text/plain anywhere without asking; JSON needs a CORS preflight,
            // which the emulator never grants.
            if (HttpMethods.IsPost(http.Request.Method) && !IsJson(http.Request.ContentType))
                throw new ApiError(415, "UnsupportedMediaType", "A control POST takes a JSON body: send Content-Type: application/json (the body may be {}).");
            await body();
        }
        catch (ApiError e)
        {
            await RpcEndpoint.WriteErrorAsync(http, requestId, e);
        }
    }

    private static bool IsJson(string? contentType)
        => contentType != null && (contentType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/json;", StringComparison.OrdinalIgnoreCase));
    /// <summary>A control body of at most 64 KiB.</summary>
    private static async Task<string> ReadBoundedAsync(HttpContext http)
    {
        const int max = 64 * 1024;
        if (http.Request.ContentLength > max) throw new ApiError(413, "RequestEntityTooLarge", "The control body is larger than 64 KiB.");
        var buffer = new char[max + 1];
        using var reader = new StreamReader(http.Request.Body);
        var read = 0;
        int n;
        while (read <= max && (n = await reader.ReadAsync(buffer.AsMemory(read, max + 1 - read), http.RequestAborted)) > 0) read += n;
        if (read > max) throw new ApiError(413, "RequestEntityTooLarge", "The control body is larger than 64 KiB.");
        return new string(buffer, 0, read);
    }

    private static Task Ok(HttpContext http, object value) => WriteAsync(http, 200, value);

    private static Task WriteAsync(HttpContext http, int status, object value)
        => RpcEndpoint.WriteJsonAsync(http, status, JToken.FromObject(value, EmulatorJson.OutputSerializer));
}
