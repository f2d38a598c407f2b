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
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }
    public int HttpStatus { get; init; }
    /// <summary>The error code; null on success.</summary>
    public string? Code { get; init; }
    public string? ClientToken { get; init; }
    public bool DryRun { get; init; }
    /// <summary>Refused by a rate limit (Quotas/), not by an injected fault.</summary>
    public bool RateLimited { get; init; }
}

/// <summary>A bounded ring of the latest requests: cheap to append, so the bench can send thousands.</summary>
internal sealed class RequestLog
{
    private readonly RequestLogEntry?[] _ring;
    private readonly object _gate = new();
    private long _count;

    public RequestLog(int capacity = 100_000) => _ring = new RequestLogEntry?[capacity];

    /// <summary>Parameters never logged: they are or derive from secrets.</summary>
    public static readonly IReadOnlySet<string> RedactedParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Signature", "SecurityToken", "AccessKeySecret", "OIDCToken",
    };

    public static IReadOnlyDictionary<string, string> Redact(IReadOnlyDictionary<string, string> parameters)
    {
        var copy = new Dictionary<string, string>(parameters.Count, StringComparer.Ordinal);
        foreach (var (k, v) in parameters)
            if (!RedactedParameters.Contains(k)) copy[k] = v;
        return copy;
    }

    public void Add(RequestLogEntry entry)
    {
        lock (_gate)
        {
            _ring[_count % _ring.Length] = entry;
            _count++;
        }
    }

    /// <summary>Oldest first.</summary>
    public List<RequestLogEntry> Snapshot()
    {
        lock (_gate)
        {
            var n = (int)Math.Min(_count, _ring.Length);
            var list = new List<RequestLogEntry>(n);
            for (var i = _count - n; i < _count; i++) list.Add(_ring[i % _ring.Length]!);
            return list;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            Array.Clear(_ring);
            _count = 0;
        }
    }
}
