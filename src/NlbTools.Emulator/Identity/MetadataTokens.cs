using System.Security.Cryptography;

namespace NlbTools.Emulator.Identity;

/// <summary>
/// IMDSv2 session tokens of the metadata service. Expired tokens are pruned as new ones are issued, and at most
/// <see cref="MaxTokens"/> live at once (the one closest to expiring goes first), so a loop of PUT /latest/api/token
/// cannot grow the emulator.
/// </summary>
internal sealed class MetadataTokens
{
    public const int MaxTokens = 10_000;

    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private long _issued;

    public int Count { get { lock (_gate) return _tokens.Count; } }

    public string Issue(DateTimeOffset now, TimeSpan ttl)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        lock (_gate)
        {
            // Pruning scans every token, so it runs every 256 issues, or when full.
            if (++_issued % 256 == 0 || _tokens.Count >= MaxTokens)
                foreach (var (t, expires) in _tokens.ToList())
                    if (expires <= now) _tokens.Remove(t);
            while (_tokens.Count >= MaxTokens) _tokens.Remove(_tokens.MinBy(t => t.Value).Key);
            _tokens[token] = now + ttl;
        }
        return token;
    }

    public bool IsValid(string token, DateTimeOffset now)
    {
        lock (_gate) return _tokens.TryGetValue(token, out var expires) && expires > now;
    }

    public void Clear()
    {
        lock (_gate) _tokens.Clear();
    }
}
