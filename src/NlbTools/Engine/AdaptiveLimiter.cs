using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Engine
{
    /// <summary>
    /// An async gate whose width adapts: throttling halves it (down to 1), and every run of successes as long
    /// as the current width widens it by one again, up to the maximum (additive increase, multiplicative decrease).
    /// Only successes of requests let in after the last throttling count: requests that were already in flight
    /// say nothing about the new width.
    /// </summary>
    internal sealed class AdaptiveLimiter
    {
        private readonly object _gate = new object();
        private readonly Queue<TaskCompletionSource<int>> _waiters = new Queue<TaskCompletionSource<int>>();
        private int _active;
        private int _successes;
        private int _epoch;

        public AdaptiveLimiter(int maximum)
        {
            if (maximum < 1) throw new ArgumentOutOfRangeException(nameof(maximum));
            Maximum = maximum;
            Limit = maximum;
        }

        public int Maximum { get; }
        public int Limit { get; private set; }
        /// <summary>The lowest width reached, for diagnostics and tests.</summary>
        public int LowestLimit { get; private set; } = int.MaxValue;

        /// <summary>Waits for a slot; the result is the epoch to hand back to <see cref="OnSuccess"/>.</summary>
        public Task<int> AcquireAsync(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (_active < Limit)
                {
                    _active++;
                    return Task.FromResult(_epoch);
                }
                var waiter = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Enqueue(waiter);
                if (cancellationToken.CanBeCanceled)
                    cancellationToken.Register(() => waiter.TrySetCanceled());
                return waiter.Task;
            }
        }

        public void Release()
        {
            lock (_gate)
            {
                _active--;
                WakeWaiters();
            }
        }

        public void OnThrottled()
        {
            lock (_gate)
            {
                Limit = Math.Max(1, Limit / 2);
                LowestLimit = Math.Min(LowestLimit, Limit);
                _successes = 0;
                _epoch++;
            }
        }

        public void OnSuccess(int epoch)
        {
            lock (_gate)
            {
                if (epoch != _epoch || Limit >= Maximum) return;
                if (++_successes < Limit) return;
                _successes = 0;
                Limit++;
                WakeWaiters();
            }
        }

        private void WakeWaiters()
        {
            while (_active < Limit && _waiters.Count > 0)
            {
                var waiter = _waiters.Dequeue();
                if (waiter.TrySetResult(_epoch)) _active++;
            }
        }
    }
}
