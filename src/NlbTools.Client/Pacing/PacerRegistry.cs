using System;
using System.Collections.Concurrent;

namespace NlbTools.Client.Pacing
{
    /// <summary>
    /// The pacers of a process, one per (endpoint, action). Quotas belong to the account, not to one client or
    /// one cmdlet, so every client shares <see cref="Shared"/> by default, and the rate learned by one pipeline
    /// is where the next one starts.
    /// </summary>
    public sealed class PacerRegistry
    {
        public static PacerRegistry Shared { get; } = new PacerRegistry();

        private readonly ConcurrentDictionary<string, Pacer> _pacers = new ConcurrentDictionary<string, Pacer>(StringComparer.OrdinalIgnoreCase);

        /// <param name="endpoint">Scheme, host and port: one service, whatever the path.</param>
        public Pacer For(Uri endpoint, string action)
            => _pacers.GetOrAdd(endpoint.GetLeftPart(UriPartial.Authority) + " " + action, _ => new Pacer());

        /// <summary>The pacer if one exists (diagnostics, tests).</summary>
        public Pacer? Find(Uri endpoint, string action)
            => _pacers.TryGetValue(endpoint.GetLeftPart(UriPartial.Authority) + " " + action, out var p) ? p : null;
    }
}
