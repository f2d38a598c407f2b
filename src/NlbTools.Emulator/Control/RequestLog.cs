using Newtonsoft.Json;

namespace NlbTools.Emulator.Control;

/// <summary>One API request as /_emulator/requests shows it. Never holds a secret, token or signature.</summary>
internal sealed class RequestLogEntry
{
    public required string Time { get; init; }
    public required string RequestId { get; init; }
    public string? Action { get; init; }
    public string? Version { get; init; }
    public string? AccessKeyId { get; init; }
    /// <summary>V3 or V2 (the signature the request used), when known.</summary>
    public string? SignatureVersion { get; init; }
    /// <summary>From <see cref="RequestLog.ForLog"/>: bounded, redacted; empty when the request was not authenticated.</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }
    /// <summary>True when the parameters were left out because nobody authenticated the request (unsigned or failed auth).</summary>
    public bool? ParametersOmitted { get; init; }
    /// <summary>True when parameters beyond <see cref="RequestLog.MaxParameters"/> were left out or a value was cut.</summary>
    public bool? ParametersTruncated { get; init; }
    public int HttpStatus { get; init; }
    /// <summary>The error code; null on success.</summary>
    public string? Code { get; init; }
    public string? ClientToken { get; init; }
    public bool DryRun { get; init; }

    /// <summary>An estimate of the heap this entry holds, counted against <see cref="RequestLog.MaxTotalBytes"/>.</summary>
    [JsonIgnore]
    public long EstimatedBytes => _estimatedBytes ??= Estimate();
    private long? _estimatedBytes;

    private long Estimate()
    {
        {
            long bytes = 160;
            foreach (var s in new[] { Time, RequestId, Action, Version, AccessKeyId, SignatureVersion, Code, ClientToken })
                bytes += RequestLog.StringBytes(s);
            foreach (var (k, v) in Parameters) bytes += 48 + RequestLog.StringBytes(k) + RequestLog.StringBytes(v);
            return bytes;
        }
    }
    /// <summary>Refused by a rate limit (Quotas/), not by an injected fault.</summary>
    public bool RateLimited { get; init; }
}

/// <summary>
/// The latest requests, bounded twice: at most Capacity entries and <see cref="MaxTotalBytes"/> of estimated heap,
/// the oldest dropped first. Cheap to append, so the bench can send thousands. What an entry may hold is bounded
/// too (<see cref="ForLog"/>), so one large request cannot push the others out.
/// </summary>
internal sealed class RequestLog
{
    public const int DefaultCapacity = 100_000;
    public const long MaxTotalBytes = 32L * 1024 * 1024;
    /// <summary>A logged value longer than this is cut (with its length noted).</summary>
    public const int MaxValueChars = 1024;
    /// <summary>Parameters logged per request; the rest are left out.</summary>
    public const int MaxParameters = 200;

    private readonly RequestLogEntry?[] _ring;
    private readonly object _gate = new();
    private long _first;
    private long _next;
    private long _bytes;

    public RequestLog(int capacity = DefaultCapacity) => _ring = new RequestLogEntry?[capacity];

    /// <summary>Estimated heap bytes the log holds now (at most <see cref="MaxTotalBytes"/>).</summary>
    public long TotalBytes { get { lock (_gate) return _bytes; } }

    /// <summary>Parameters never logged: they are or derive from secrets.</summary>
    public static readonly IReadOnlySet<string> RedactedParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Signature", "SecurityToken", "AccessKeySecret", "OIDCToken",
    };

    public static IReadOnlyDictionary<string, string> Redact(IReadOnlyDictionary<string, string> parameters) => ForLog(parameters, out _);

    /// <summary>
    /// What a log entry or job view keeps of the parameters: no secret, at most <see cref="MaxParameters"/> of them,
    /// each value at most <see cref="MaxValueChars"/> characters. <paramref name="truncated"/> says something was cut.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ForLog(IReadOnlyDictionary<string, string> parameters, out bool truncated)
    {
        truncated = false;
        var copy = new Dictionary<string, string>(Math.Min(parameters.Count, MaxParameters), StringComparer.Ordinal);
        foreach (var (k, v) in parameters)
        {
            if (RedactedParameters.Contains(k)) continue;
            if (copy.Count == MaxParameters || k.Length > MaxValueChars) { truncated = true; continue; }
            if (v.Length > MaxValueChars)
            {
                copy[k] = v.Substring(0, MaxValueChars) + $"...[cut: {v.Length} characters]";
                truncated = true;
            }
            else copy[k] = v;
        }
        return copy;
    }

    /// <summary>Action and Version as logged: an unauthenticated caller chooses them, so they are cut like values.</summary>
    public static string? Cut(string? value)
        => value == null || value.Length <= MaxNameChars ? value : value.Substring(0, MaxNameChars) + "...";

    private const int MaxNameChars = 128;

    internal static long StringBytes(string? s) => s == null ? 0 : 24 + 2L * s.Length;

    public void Add(RequestLogEntry entry)
    {
        var size = entry.EstimatedBytes;
        lock (_gate)
        {
            while (_next - _first >= _ring.Length || (_next > _first && _bytes + size > MaxTotalBytes)) DropOldest();
            _ring[_next % _ring.Length] = entry;
            _next++;
            _bytes += size;
        }
    }

    private void DropOldest()
    {
        var slot = _first % _ring.Length;
        _bytes -= _ring[slot]!.EstimatedBytes;
        _ring[slot] = null;
        _first++;
    }

    /// <summary>Oldest first.</summary>
    public List<RequestLogEntry> Snapshot()
    {
        lock (_gate)
        {
            var list = new List<RequestLogEntry>((int)(_next - _first));
            for (var i = _first; i < _next; i++) list.Add(_ring[i % _ring.Length]!);
            return list;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            Array.Clear(_ring);
            _first = _next = 0;
            _bytes = 0;
        }
    }
}
