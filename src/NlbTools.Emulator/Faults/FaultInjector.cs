namespace NlbTools.Emulator.Faults;

/// <summary>What POST /_emulator/faults sets (design.md): Rate 0..1, Codes, Actions, Seed, RetryAfterMs.</summary>
internal sealed class FaultConfig
{
    public double Rate { get; set; }
    public List<string> Codes { get; set; } = new();
    /// <summary>Null or empty: every action.</summary>
    public List<string>? Actions { get; set; }
    public int? Seed { get; set; }
    /// <summary>Sent as x-acs-retry-after with Throttling.User. Default 1000.</summary>
    public int? RetryAfterMs { get; set; }
    /// <summary>
    /// ConnectionReset and Timeout strike after the action ran instead of before: the change is made and the
    /// answer is lost, the case where a client that retries with a new ClientToken applies a change twice.
    /// </summary>
    public bool LoseAnswer { get; set; }
}

/// <summary>Draws faults from a seeded generator so a test run is repeatable.</summary>
internal sealed class FaultInjector
{
    public const string SystemBusy = "SystemBusy";
    public const string Throttling = "Throttling.User";
    public const string ServiceUnavailable = "ServiceUnavailable";
    public const string IncorrectStatus = "IncorrectStatus.listener";
    public const string ConnectionReset = "ConnectionReset";
    public const string Timeout = "Timeout";

    public static readonly IReadOnlyList<string> KnownCodes = new[] { SystemBusy, Throttling, ServiceUnavailable, IncorrectStatus, ConnectionReset, Timeout };

    private readonly object _gate = new();
    private readonly Dictionary<string, int> _injected = new(StringComparer.Ordinal);
    private FaultConfig _config = new();
    private Random _random = new(0);

    /// <summary>Faults injected per code since the last POST /_emulator/faults or reset (GET /_emulator/faults shows them).</summary>
    public IReadOnlyDictionary<string, int> Injected { get { lock (_gate) return new Dictionary<string, int>(_injected); } }

    public FaultConfig Current { get { lock (_gate) return _config; } }

    /// <summary>Null when the configuration is accepted, else what is wrong with it.</summary>
    public static string? Check(FaultConfig config)
    {
        if (double.IsNaN(config.Rate) || config.Rate < 0 || config.Rate > 1) return "Rate must be between 0 and 1.";
        if (config.Rate > 0 && config.Codes.Count == 0) return "Codes must name at least one fault when Rate > 0.";
        var unknown = config.Codes.Where(c => !KnownCodes.Contains(c)).ToList();
        if (unknown.Count > 0) return $"unknown fault code(s) {string.Join(", ", unknown)}; known are {string.Join(", ", KnownCodes)}.";
        if (config.RetryAfterMs is < 0) return "RetryAfterMs must not be negative.";
        return null;
    }

    public void Set(FaultConfig config)
    {
        lock (_gate)
        {
            _config = config;
            _random = new Random(config.Seed ?? Environment.TickCount);
            _injected.Clear();
        }
    }

    public void Clear() => Set(new FaultConfig { Seed = 0 });

    /// <summary>The fault this request gets, or null.</summary>
    public string? Draw(string action)
    {
        lock (_gate)
        {
            var c = _config;
            if (c.Rate <= 0 || c.Codes.Count == 0) return null;
            if (c.Actions is { Count: > 0 } && !c.Actions.Contains(action, StringComparer.OrdinalIgnoreCase)) return null;
            // The service answers IncorrectStatus.listener only to a change of a listener, never to a read.
            var codes = IsRead(action) ? c.Codes.Where(code => code != IncorrectStatus).ToList() : c.Codes;
            if (codes.Count == 0 || _random.NextDouble() >= c.Rate) return null;
            var fault = codes[_random.Next(codes.Count)];
            _injected[fault] = _injected.GetValueOrDefault(fault) + 1;
            return fault;
        }
    }

    private static bool IsRead(string action)
        => action.StartsWith("Get", StringComparison.Ordinal) || action.StartsWith("List", StringComparison.Ordinal)
           || action.StartsWith("Describe", StringComparison.Ordinal);

    public int RetryAfterMs { get { lock (_gate) return _config.RetryAfterMs ?? 1000; } }

    /// <summary>Whether this fault lets the action run first (LoseAnswer with a dropped connection).</summary>
    public bool StrikesAfterAction(string fault)
    {
        lock (_gate) return _config.LoseAnswer && (fault == ConnectionReset || fault == Timeout);
    }
}
