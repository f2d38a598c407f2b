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
    /// <summary>
    /// Finished jobs beyond this many are forgotten, oldest first (with their ClientTokens), as the service
    /// forgets old jobs: a long-running emulator's memory stays bounded. Jobs still Processing are kept.
    /// </summary>
    public const int MaxJobs = 20_000;

    private readonly int _maxJobs;
    private readonly Dictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly List<Job> _order = new();
    private readonly Dictionary<(string Action, string Token), (string ParameterSignature, Job Job)> _tokens = new();

    public JobStore(int maxJobs = MaxJobs) => _maxJobs = maxJobs;

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
        if (_order.Count > _maxJobs) Prune();
    }

    /// <summary>Down to 90% of the cap in one pass, so the cost is paid once per many additions.</summary>
    private void Prune()
    {
        var excess = _order.Count - _maxJobs * 9 / 10;
        var removed = new HashSet<Job>();
        foreach (var job in _order)
        {
            if (removed.Count >= excess) break;
            if (job.Status == "Processing") continue;
            removed.Add(job);
            _jobs.Remove(job.JobId);
            if (job.ClientToken != null && _tokens.TryGetValue((job.Action, job.ClientToken), out var entry) && entry.Job == job)
                _tokens.Remove((job.Action, job.ClientToken));
        }
        _order.RemoveAll(removed.Contains);
    }

    public void Clear()
    {
        _jobs.Clear();
        _order.Clear();
        _tokens.Clear();
    }
}
