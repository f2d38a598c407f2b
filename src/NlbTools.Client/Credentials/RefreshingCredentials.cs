using System;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// Caches temporary credentials and fetches new ones 180 s before they expire (the official libraries'
    /// margin), so that a request signed now is still valid when it arrives. Concurrent callers share one
    /// fetch. A caller's cancellation ends its own wait, never the shared fetch (which has its own timeouts).
    /// Credentials that arrive already inside the 180 s window (a source that only issues short-lived ones) are
    /// used for half of their remaining life before the next fetch, not fetched again on every request.
    /// </summary>
    internal sealed class RefreshingCredentials
    {
        public static readonly TimeSpan RefreshAhead = TimeSpan.FromSeconds(180);

        /// <summary>If a refresh fails, credentials that stay valid this much longer are still handed out:
        /// a short STS or metadata outage inside the 180 s window then costs no request.</summary>
        private static readonly TimeSpan StillUsableFor = TimeSpan.FromSeconds(30);

        private readonly Func<CancellationToken, Task<NlbCredentials>> _fetch;
        private readonly ISystemClock _clock;
        private readonly object _gate = new object();
        private NlbCredentials? _current;
        private DateTimeOffset _refreshAt;
        private Task<NlbCredentials>? _fetching;

        public RefreshingCredentials(Func<CancellationToken, Task<NlbCredentials>> fetch, ISystemClock clock)
        {
            _fetch = fetch;
            _clock = clock;
        }

        /// <summary>How many fetches have started (for tests and diagnostics).</summary>
        public int FetchCount { get; private set; }

        public Task<NlbCredentials> GetAsync(CancellationToken cancellationToken)
        {
            Task<NlbCredentials> fetching;
            lock (_gate)
            {
                if (_current != null && _clock.UtcNow < _refreshAt) return Task.FromResult(_current);
                if (_fetching == null || _fetching.IsCompleted)
                {
                    FetchCount++;
                    _fetching = FetchAndKeepAsync(_current);
                }
                fetching = _fetching;
            }
            return WaitAsync(fetching, cancellationToken);
        }

        private async Task<NlbCredentials> FetchAndKeepAsync(NlbCredentials? previous)
        {
            await Task.Yield(); // never run the fetch under the caller's lock
            try
            {
                var fresh = await _fetch(CancellationToken.None).ConfigureAwait(false);
                var refreshAt = RefreshTime(fresh, _clock.UtcNow);
                lock (_gate)
                {
                    _current = fresh;
                    _refreshAt = refreshAt;
                }
                return fresh;
            }
            catch (Exception) when (previous != null && !NeedsRefresh(previous, StillUsableFor))
            {
                return previous;
            }
        }

        /// <summary>180 s before expiry; for credentials already closer than that, half-way to their expiry;
        /// never for credentials without one.</summary>
        internal static DateTimeOffset RefreshTime(NlbCredentials credentials, DateTimeOffset now)
        {
            if (!credentials.Expiration.HasValue) return DateTimeOffset.MaxValue;
            var expiration = credentials.Expiration.Value;
            if (expiration - RefreshAhead > now) return expiration - RefreshAhead;
            return expiration > now ? now + TimeSpan.FromTicks((expiration - now).Ticks / 2) : now;
        }

        private bool NeedsRefresh(NlbCredentials credentials, TimeSpan ahead)
            => credentials.Expiration.HasValue && credentials.Expiration.Value - ahead <= _clock.UtcNow;

        private static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
        {
            if (task.IsCompleted || !cancellationToken.CanBeCanceled) return await task.ConfigureAwait(false);
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                    throw new OperationCanceledException(cancellationToken);
            }
            return await task.ConfigureAwait(false);
        }
    }
}
