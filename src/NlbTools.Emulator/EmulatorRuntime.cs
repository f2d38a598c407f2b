using NlbTools.Emulator.Api;
using NlbTools.Emulator.Auth;
using NlbTools.Emulator.Control;
using NlbTools.Emulator.Faults;
using NlbTools.Emulator.Jobs;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator;

/// <summary>Everything one emulator instance holds: options, state, jobs, faults, request log, actions.</summary>
internal sealed class EmulatorRuntime
{
    public EmulatorRuntime(EmulatorOptions options, Func<StateDocument> seed, TimeProvider? clock = null)
    {
        Options = options;
        Clock = clock ?? TimeProvider.System;
        State = new StateStore(seed);
        Nonces = new NonceCache(Authenticator.Window);
        Authenticator = new Authenticator(State, Nonces, Clock);
        RateLimits = new Quotas.RateLimiter(Clock, options.RateLimits);
    }

    public EmulatorOptions Options { get; }
    public TimeProvider Clock { get; }
    public StateStore State { get; }
    /// <summary>Guarded by State.Gate.</summary>
    public JobStore Jobs { get; } = new();
    public FaultInjector Faults { get; } = new();
    /// <summary>API rate limits per (AccessKeyId, action); none unless --rate-limit or POST /_emulator/ratelimits set them.</summary>
    public Quotas.RateLimiter RateLimits { get; }
    public RequestLog Log { get; } = new();
    public NonceCache Nonces { get; }
    public Authenticator Authenticator { get; }
    public ActionTable Actions { get; } = new();
    /// <summary>IMDSv2 tokens of the metadata routes (Identity/MetadataService).</summary>
    public Identity.MetadataTokens MetadataTokens { get; } = new();

    /// <summary>Back to the seed: state, jobs, tokens, faults, nonces, the request log, and the command line's rate limits.</summary>
    public void Reset()
    {
        lock (State.Gate)
        {
            State.Reset();
            Jobs.Clear();
        }
        Faults.Clear();
        RateLimits.Set(Options.RateLimits);
        Nonces.Clear();
        Log.Clear();
        MetadataTokens.Clear();
    }

    /// <summary>Parameters that identify a request's transport, not its meaning: left out of idempotence.</summary>
    private static readonly HashSet<string> TransportParameters = new(StringComparer.Ordinal)
    {
        "Action", "Version", "Format", "Timestamp", "SignatureNonce", "SignatureMethod", "SignatureVersion", "Signature",
        "AccessKeyId", "SecurityToken", "ClientToken", "DryRun",
    };

    /// <summary>
    /// The SHA-256 of a canonical string of the meaningful parameters: same token + different value = mismatch.
    /// A hash, so a job's idempotence record stays small whatever the request carried.
    /// </summary>
    public static string ParameterSignature(IReadOnlyDictionary<string, string> parameters)
        => AcsSigning.Sha256Hex(System.Text.Encoding.UTF8.GetBytes(string.Join("&", parameters.Where(p => !TransportParameters.Contains(p.Key))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => AcsSigning.PercentEncode(p.Key) + "=" + AcsSigning.PercentEncode(p.Value)))));

    /// <summary>
    /// Call under State.Gate once every check passed: records a Processing job and applies the change after
    /// --job-duration-ms (under the gate again, unless a reset happened in between).
    /// </summary>
    public Job StartJob(ActionContext c, string resourceId, Action apply)
    {
        var parameters = c.Parameters.Values;
        var job = new Job
        {
            JobId = Guid.NewGuid().ToString(),
            Action = c.Action,
            ResourceId = resourceId,
            ClientToken = c.Parameters.String("ClientToken") ?? c.RequestId,
            Parameters = RequestLog.Redact(parameters),
            CreateTime = Clock.GetUtcNow(),
        };
        Jobs.Add(job, c.Parameters.String("ClientToken") == null ? null : ParameterSignature(parameters));

        var generation = State.Generation;
        void Complete()
        {
            if (State.Generation != generation) return;
            if (State.FindListener(resourceId) == null && job.Action.Contains("Listener", StringComparison.Ordinal))
            {
                // Deleted while the job ran (DELETE /_emulator/listeners/{id}): the job fails, nothing is applied.
                job.Status = "Failed";
                job.FinishTime = Clock.GetUtcNow();
                return;
            }
            apply();
            job.Status = "Succeeded";
            job.FinishTime = Clock.GetUtcNow();
        }
        if (Options.JobDurationMs <= 0) Complete();
        else _ = Task.Delay(TimeSpan.FromMilliseconds(Options.JobDurationMs), Clock).ContinueWith(_ => { lock (State.Gate) Complete(); }, TaskScheduler.Default);
        return job;
    }
}
