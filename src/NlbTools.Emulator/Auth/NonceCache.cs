using System.Collections.Concurrent;

namespace NlbTools.Emulator.Auth;

/// <summary>
/// Nonces seen within the timestamp window. A nonce older than the window cannot be replayed anyway (the
/// timestamp check rejects it), so entries are dropped after it.
/// </summary>
internal sealed class NonceCache
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly TimeSpan _window;
    private long _adds;

    public NonceCache(TimeSpan window) => _window = window;

    /// <summary>False when the nonce was already used with this key.</summary>
    public bool TryUse(string accessKeyId, string nonce, DateTimeOffset now)
    {
        if (Interlocked.Increment(ref _adds) % 4096 == 0) Prune(now);
        return _seen.TryAdd(accessKeyId + "\n" + nonce, now);
    }

    public void Clear() => _seen.Clear();

    private void Prune(DateTimeOffset now)
    {
        var limit = now - _window - _window;
        foreach (var (key, at) in _seen)
            if (at < limit) _seen.TryRemove(key, out _);
    }
}
