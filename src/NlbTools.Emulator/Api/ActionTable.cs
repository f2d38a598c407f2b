using Microsoft.AspNetCore.Http;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Api;

/// <summary>What an action handler gets: the merged parameters, the verified key, the emulator.</summary>
internal sealed class ActionContext
{
    public required string Action { get; init; }
    public required string Version { get; init; }
    public required ParameterReader Parameters { get; init; }
    /// <summary>The AccessKey entry whose signature was verified.</summary>
    public required AccessKeyEntry AccessKey { get; init; }
    public required EmulatorRuntime Runtime { get; init; }
    public required string RequestId { get; init; }
    public required HttpContext Http { get; init; }
    public StateStore State => Runtime.State;
    public CancellationToken Aborted => Http.RequestAborted;
}

/// <summary>Returns the response body (any object; RequestId is added) or throws <see cref="ApiError"/>.</summary>
internal delegate Task<object> ActionHandler(ActionContext context);

/// <summary>
/// Dispatch by (Version, Action). EXTENSION POINT: every RPC action is registered in one place,
/// <see cref="EmulatorHost.RegisterActions"/>, one line each, e.g.
/// <c>actions.Register("2015-04-01", "AssumeRole", StsActions.AssumeRole);</c>. A handler sees the merged
/// query+form parameters, the verified AccessKey entry and the state; authentication (V2 or V3), latency,
/// faults and the request log are applied for every registered action alike.
/// </summary>
internal sealed class ActionTable
{
    private readonly Dictionary<(string Version, string Action), ActionHandler> _handlers = new();
    private readonly HashSet<(string Version, string Action)> _unsigned = new();

    public void Register(string version, string action, ActionHandler handler)
    {
        if (!_handlers.TryAdd((version, action), handler))
            throw new InvalidOperationException($"{action} ({version}) is registered twice.");
    }

    /// <summary>Synchronous handlers are the common case.</summary>
    public void Register(string version, string action, Func<ActionContext, object> handler)
        => Register(version, action, ctx => Task.FromResult(handler(ctx)));

    /// <summary>An action the real service takes without a signature (STS AssumeRoleWithOIDC: the token is the proof).</summary>
    public void RegisterUnsigned(string version, string action, Func<ActionContext, object> handler)
    {
        Register(version, action, handler);
        _unsigned.Add((version, action));
    }

    public bool IsUnsigned(string version, string action) => _unsigned.Contains((version, action));

    public ActionHandler? Find(string version, string action) => _handlers.GetValueOrDefault((version, action));

    public bool HasVersion(string version) => _handlers.Keys.Any(k => k.Version == version);

    public IEnumerable<(string Version, string Action)> Registered => _handlers.Keys;
}
