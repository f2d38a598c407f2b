namespace NlbTools.Emulator.Jobs;

/// <summary>An asynchronous write: Processing for --job-duration-ms, then Succeeded.</summary>
internal sealed class Job
{
    public required string JobId { get; init; }
    public required string Action { get; init; }
    public required string ResourceId { get; init; }
    public string? ClientToken { get; init; }
    /// <summary>Processing, Succeeded, or Failed (its listener was deleted meanwhile).</summary>
    public string Status { get; set; } = "Processing";
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }
    public DateTimeOffset CreateTime { get; init; }
    public DateTimeOffset? FinishTime { get; set; }
}

/// <summary>
/// Jobs and ClientToken idempotence. Not thread-safe on its own: callers hold the state gate, so checking a
/// token, checking the listener and starting the job happen as one step.
/// </summary>
internal sealed class JobStore
{
    private readonly Dictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly List<Job> _order = new();
    private readonly Dictionary<(string Action, string Token), (string ParameterSignature, Job Job)> _tokens = new();

    public Job? Find(string jobId) => _jobs.TryGetValue(jobId, out var j) ? j : null;

    public IReadOnlyList<Job> All => _order;

    /// <summary>
    /// Null when the token is new. The earlier job when the token was used with the same parameters.
    /// IdempotenceSignatureMismatch when it was used with different ones.
    /// </summary>
    public Job? FindByToken(string action, string clientToken, string parameterSignature)
    {
        if (!_tokens.TryGetValue((action, clientToken), out var entry)) return null;
        if (entry.ParameterSignature != parameterSignature) throw Api.ApiError.IdempotenceSignatureMismatch();
        return entry.Job;
    }

    public void Add(Job job, string? parameterSignature)
    {
        _jobs[job.JobId] = job;
        _order.Add(job);
        if (job.ClientToken != null && parameterSignature != null) _tokens[(job.Action, job.ClientToken)] = (parameterSignature, job);
    }

    public void Clear()
    {
        _jobs.Clear();
        _order.Clear();
        _tokens.Clear();
    }
}
