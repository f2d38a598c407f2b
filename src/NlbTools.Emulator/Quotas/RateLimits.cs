using System.Globalization;

namespace NlbTools.Emulator.Quotas;

/// <summary>One action's quota: tokens per second and the bucket's size.</summary>
internal sealed class RateLimit
{
    public double Rate { get; set; }
    /// <summary>Null: the rate rounded up (one second's worth), at least 1.</summary>
    public int? Burst { get; set; }
    public int EffectiveBurst => Burst ?? Math.Max(1, (int)Math.Ceiling(Rate));
}

/// <summary>What POST /_emulator/ratelimits sets and --rate-limit gives at start.</summary>
internal sealed class RateLimitConfig
{
    /// <summary>Action name -> limit. Empty: no quota (the default).</summary>
    public Dictionary<string, RateLimit> Limits { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Refusals carry x-acs-retry-after (ms until a token is free).</summary>
    public bool RetryAfter { get; set; }
}

/// <summary>How the quota of one action answered since it was set.</summary>
internal sealed class RateLimitCount
{
    public long Allowed { get; set; }
    public long Throttled { get; set; }
}

/// <summary>
/// The account's API rate limits, as the gateway enforces them: one token bucket per (AccessKeyId, action).
/// A request takes a token or is refused with Throttling.User; refusals take none.
/// </summary>
internal sealed class RateLimiter
{
    public const int MaxLimits = 100;
    public const double MaxRate = 100_000;
    public const int MaxBurst = 1_000_000;

    private readonly object _gate = new();
    private readonly TimeProvider _clock;
    private readonly Dictionary<(string Key, string Action), Bucket> _buckets = new();
    private readonly Dictionary<string, RateLimitCount> _counts = new(StringComparer.OrdinalIgnoreCase);
    private RateLimitConfig _config = new();

    public RateLimiter(TimeProvider clock, RateLimitConfig? initial = null)
    {
        _clock = clock;
        if (initial != null) Set(initial);
    }

    public RateLimitConfig Current { get { lock (_gate) return _config; } }

    /// <summary>Per action: requests let through and refused since the limits were set.</summary>
    public IReadOnlyDictionary<string, RateLimitCount> Counts
    {
        get
        {
            lock (_gate)
                return _counts.ToDictionary(c => c.Key, c => new RateLimitCount { Allowed = c.Value.Allowed, Throttled = c.Value.Throttled }, StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>Null when the configuration is accepted, else what is wrong with it.</summary>
    public static string? Check(RateLimitConfig config)
    {
        if (config.Limits.Count > MaxLimits) return $"Limits may name at most {MaxLimits} actions.";
        foreach (var (action, limit) in config.Limits)
        {
            if (action.Length == 0 || action.Length > 64 || !action.All(char.IsAsciiLetterOrDigit))
                return $"'{Printable(action)}' is not an action name (letters and digits, up to 64).";
            if (limit == null) return $"Limits.{action} needs a Rate.";
            if (double.IsNaN(limit.Rate) || limit.Rate <= 0 || limit.Rate > MaxRate)
                return $"Limits.{action}.Rate must be more than 0 and at most {MaxRate} per second.";
            if (limit.Burst is < 1 or > MaxBurst) return $"Limits.{action}.Burst must be from 1 to {MaxBurst}.";
        }
        return null;
    }

    /// <summary>New limits: every bucket starts full and the counts start from 0.</summary>
    public void Set(RateLimitConfig config)
    {
        lock (_gate)
        {
            _config = new RateLimitConfig
            {
                Limits = new Dictionary<string, RateLimit>(config.Limits, StringComparer.OrdinalIgnoreCase),
                RetryAfter = config.RetryAfter,
            };
            _buckets.Clear();
            _counts.Clear();
        }
    }

    /// <summary>
    /// Takes a token for this caller and action. Null: allowed (or no quota for the action); otherwise
    /// the milliseconds until the next token is free (at least 1).
    /// </summary>
    public int? TryTake(string? accessKeyId, string action)
    {
        lock (_gate)
        {
            if (!_config.Limits.TryGetValue(action, out var limit)) return null;
            var now = _clock.GetTimestamp();
            var key = (accessKeyId ?? "", action);
            if (!_buckets.TryGetValue(key, out var bucket))
                _buckets[key] = bucket = new Bucket { Tokens = limit.EffectiveBurst, Stamp = now };
            var elapsed = _clock.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
            bucket.Tokens = Math.Min(limit.EffectiveBurst, bucket.Tokens + elapsed * limit.Rate);
            bucket.Stamp = now;
            if (!_counts.TryGetValue(action, out var count)) _counts[action] = count = new RateLimitCount();
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                count.Allowed++;
                return null;
            }
            count.Throttled++;
            return Math.Max(1, (int)Math.Ceiling((1 - bucket.Tokens) / limit.Rate * 1000));
        }
    }

    /// <summary>Parses one --rate-limit value: Action=PerSecond[:Burst], e.g. UpdateListenerAttribute=10:10.</summary>
    public static (string Action, RateLimit Limit) ParseOption(string text)
    {
        var usage = $"--rate-limit must look like Action=PerSecond[:Burst] (e.g. UpdateListenerAttribute=10:10), not '{Printable(text)}'.";
        var eq = text.IndexOf('=');
        if (eq <= 0) throw new ArgumentException(usage);
        var action = text[..eq];
        var parts = text[(eq + 1)..].Split(':');
        if (parts.Length > 2 || !double.TryParse(parts[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate))
            throw new ArgumentException(usage);
        int? burst = null;
        if (parts.Length == 2)
        {
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b)) throw new ArgumentException(usage);
            burst = b;
        }
        var limit = new RateLimit { Rate = rate, Burst = burst };
        var probe = new RateLimitConfig { Limits = { [action] = limit } };
        if (Check(probe) is { } problem) throw new ArgumentException("--rate-limit: " + problem);
        return (action, limit);
    }

    private static string Printable(string s) => new(s.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private sealed class Bucket
    {
        public double Tokens;
        public long Stamp;
    }
}
