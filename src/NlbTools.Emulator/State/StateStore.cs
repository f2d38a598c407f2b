using System.Collections.Concurrent;
using NlbTools.Client.Models;

namespace NlbTools.Emulator.State;

/// <summary>
/// The live state. One short lock (<see cref="Gate"/>) guards changes; nobody waits while holding it (latency
/// and job durations are awaited outside). Listener objects are never changed in place: a change replaces
/// the object (copy on write), so a reader may serialize what it took under the lock after releasing it.
/// Load balancers, server groups, policies, certificates and regions are read-only after load.
/// </summary>
internal sealed class StateStore
{
    private readonly Func<StateDocument> _seed;
    private readonly ConcurrentDictionary<string, AccessKeyEntry> _accessKeys = new(StringComparer.Ordinal);
    private readonly List<Listener> _listeners = new();
    private readonly Dictionary<string, int> _listenerIndex = new(StringComparer.Ordinal);
    private Dictionary<string, RegionEntry> _regions = new();
    private Dictionary<string, LoadBalancer> _loadBalancers = new();
    private Dictionary<string, ServerGroup> _serverGroups = new();
    private Dictionary<string, SecurityPolicy> _securityPolicies = new();
    private Dictionary<string, CertificateEntry> _certificates = new();
    private StateDocument _current = new();
    /// <summary>Keys issued since the last load (STS, metadata), in issue order; guarded by Gate.</summary>
    private readonly List<(AccessKeyEntry Key, DateTimeOffset Expires)> _issued = new();
    private long _issuedCount;

    /// <summary>Issued keys that are valid at once; beyond it the oldest is dropped.</summary>
    public const int MaxIssuedAccessKeys = 10_000;

    /// <param name="seed">Makes a fresh copy of the seed state; called at start and on every Reset.</param>
    public StateStore(Func<StateDocument> seed)
    {
        _seed = seed;
        var first = seed();
        PrimaryAccessKey = first.AccessKeys[0];
        Load(first);
    }

    /// <summary>Held for short, non-blocking sections only.</summary>
    public object Gate { get; } = new();

    /// <summary>Bumped by Reset so that jobs of the previous state do not apply to the new one.</summary>
    public int Generation { get; private set; }

    public void Reset()
    {
        lock (Gate)
        {
            Load(_seed());
            Generation++;
        }
    }

    private void Load(StateDocument d)
    {
        _current = d;
        _accessKeys.Clear();
        _issued.Clear();
        foreach (var k in d.AccessKeys) _accessKeys[k.AccessKeyId] = k;
        _regions = d.Regions.ToDictionary(r => r.RegionId, StringComparer.Ordinal);
        _loadBalancers = d.LoadBalancers.ToDictionary(l => l.LoadBalancerId!, StringComparer.Ordinal);
        _serverGroups = d.ServerGroups.ToDictionary(g => g.ServerGroupId!, StringComparer.Ordinal);
        _securityPolicies = d.SecurityPolicies.ToDictionary(p => p.SecurityPolicyId!, StringComparer.Ordinal);
        _certificates = d.Certificates.ToDictionary(c => c.CertificateId, StringComparer.Ordinal);
        _listeners.Clear();
        _listenerIndex.Clear();
        foreach (var l in d.Listeners)
        {
            _listenerIndex[l.ListenerId!] = _listeners.Count;
            _listeners.Add(l);
        }
    }

    // ---- access keys (lock-free reads: every request authenticates) ----

    public AccessKeyEntry? FindAccessKey(string accessKeyId) => _accessKeys.TryGetValue(accessKeyId, out var k) ? k : null;

    /// <summary>The key printed on start: the first one of the state.</summary>
    public AccessKeyEntry PrimaryAccessKey { get; }

    /// <summary>
    /// For identity extensions (STS, ECS metadata): a temporary key, valid until Reset or until pruned. A key is
    /// pruned once it has been expired for <paramref name="keepExpiredFor"/> (until then it answers
    /// InvalidSecurityToken.Expired, as the real service does), and the oldest goes when
    /// <see cref="MaxIssuedAccessKeys"/> are issued, so minting in a loop cannot grow the emulator.
    /// </summary>
    public void AddIssuedAccessKey(AccessKeyEntry entry, DateTimeOffset expires, DateTimeOffset now, TimeSpan keepExpiredFor)
    {
        lock (Gate)
        {
            var drop = new HashSet<AccessKeyEntry>(ReferenceEqualityComparer.Instance);
            // Pruning scans every issued key, so it runs every 256 issues, or when full.
            if (++_issuedCount % 256 == 0 || _issued.Count >= MaxIssuedAccessKeys)
                foreach (var (key, at) in _issued)
                    if (at + keepExpiredFor < now) drop.Add(key);
            for (var i = 0; _issued.Count - drop.Count >= MaxIssuedAccessKeys && i < _issued.Count; i++) drop.Add(_issued[i].Key);
            if (drop.Count > 0)
            {
                _issued.RemoveAll(k => drop.Contains(k.Key));
                _current.AccessKeys.RemoveAll(drop.Contains);
                foreach (var key in drop) _accessKeys.TryRemove(key.AccessKeyId, out _);
            }
            _issued.Add((entry, expires));
            _accessKeys[entry.AccessKeyId] = entry;
            _current.AccessKeys.Add(entry);
        }
    }

    /// <summary>Issued keys currently valid (or recently expired); at most <see cref="MaxIssuedAccessKeys"/>.</summary>
    public int IssuedAccessKeyCount { get { lock (Gate) return _issued.Count; } }

    // ---- reads (callers hold Gate when they need a consistent view across several reads) ----

    public IReadOnlyCollection<RegionEntry> Regions => _current.Regions;
    public RegionEntry? FindRegion(string? id) => id != null && _regions.TryGetValue(id, out var r) ? r : null;
    public IReadOnlyList<LoadBalancer> LoadBalancers => _current.LoadBalancers;
    public LoadBalancer? FindLoadBalancer(string? id) => id != null && _loadBalancers.TryGetValue(id, out var l) ? l : null;
    public IReadOnlyList<ServerGroup> ServerGroups => _current.ServerGroups;
    public ServerGroup? FindServerGroup(string? id) => id != null && _serverGroups.TryGetValue(id, out var g) ? g : null;
    public IReadOnlyList<SecurityPolicy> CustomSecurityPolicies => _current.SecurityPolicies;
    public SecurityPolicy? FindCustomSecurityPolicy(string? id) => id != null && _securityPolicies.TryGetValue(id, out var p) ? p : null;
    public CertificateEntry? FindCertificate(string? id) => id != null && _certificates.TryGetValue(id, out var c) ? c : null;

    /// <summary>Call under Gate.</summary>
    public Listener? FindListener(string? id) => id != null && _listenerIndex.TryGetValue(id, out var i) ? _listeners[i] : null;

    /// <summary>Call under Gate. The live list in state order; do not keep it past the lock.</summary>
    public IReadOnlyList<Listener> Listeners => _listeners;

    /// <summary>Call under Gate. Replaces the listener with a changed copy.</summary>
    public Listener UpdateListener(string listenerId, Action<Listener> change)
    {
        var index = _listenerIndex[listenerId];
        var copy = new Listener(_listeners[index]);
        change(copy);
        _listeners[index] = copy;
        return copy;
    }

    /// <summary>
    /// Call under Gate. Removes a listener as if it were deleted behind the client's back (DELETE
    /// /_emulator/listeners/{id}); false when there is no such listener.
    /// </summary>
    public bool RemoveListener(string listenerId)
    {
        if (!_listenerIndex.TryGetValue(listenerId, out var index)) return false;
        _listeners.RemoveAt(index);
        _listenerIndex.Clear();
        for (var i = 0; i < _listeners.Count; i++) _listenerIndex[_listeners[i].ListenerId!] = i;
        return true;
    }

    /// <summary>The current state in the state file schema (a consistent snapshot).</summary>
    public StateDocument Snapshot()
    {
        lock (Gate)
        {
            return new StateDocument
            {
                AccessKeys = _current.AccessKeys.ToList(),
                Regions = _current.Regions.ToList(),
                LoadBalancers = _current.LoadBalancers.ToList(),
                ServerGroups = _current.ServerGroups.ToList(),
                SecurityPolicies = _current.SecurityPolicies.ToList(),
                Certificates = _current.Certificates.ToList(),
                Listeners = _listeners.ToList(),
            };
        }
    }
}
