using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Base
{
    /// <summary>
    /// Cancellation and the pipeline-thread inbox. Ctrl+C (StopProcessing) cancels the token that every
    /// request, back-off and wait uses. Work on other threads never calls Write*: it posts to the inbox,
    /// and the pipeline thread runs what was posted while it waits.
    /// </summary>
    public abstract class NlbCancellableCmdlet : PSCmdlet, IDisposable
    {
        private static readonly Action s_wakeUp = () => { };
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private readonly BlockingCollection<Action> _inbox = new BlockingCollection<Action>();
        private bool _disposed;

        protected CancellationToken CancelToken => _cancel.Token;

        protected override void StopProcessing() => _cancel.Cancel();

        /// <summary>Runs <paramref name="action"/> on the pipeline thread the next time it pumps. Safe from any thread.</summary>
        internal void Post(Action action)
        {
            try { _inbox.TryAdd(action); }
            catch (ObjectDisposedException) { } // the cmdlet is gone; late news from a cancelled call is dropped
            catch (InvalidOperationException) { }
        }

        /// <summary>Waits for <paramref name="task"/> on the pipeline thread, running posted work meanwhile.</summary>
        internal void Await(Task task)
        {
            if (!task.IsCompleted)
                task.ContinueWith(_ => Post(s_wakeUp), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            while (!task.IsCompleted)
                RunNext(Timeout.Infinite);
            RunPosted();
            if (task.IsCanceled && CancelToken.IsCancellationRequested) throw new PipelineStoppedException();
        }

        internal T Await<T>(Task<T> task)
        {
            Await((Task)task);
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Runs posted work for up to <paramref name="duration"/> (progress ticks, polling waits).</summary>
        internal void PumpFor(TimeSpan duration)
        {
            var until = DateTime.UtcNow + duration;
            for (var left = duration; left > TimeSpan.Zero; left = until - DateTime.UtcNow)
                RunNext((int)Math.Ceiling(left.TotalMilliseconds));
        }

        /// <summary>Runs whatever is already posted, without waiting.</summary>
        internal void RunPosted()
        {
            while (_inbox.TryTake(out var action)) action();
        }

        private void RunNext(int timeoutMs)
        {
            Action? action;
            try
            {
                if (!_inbox.TryTake(out action, timeoutMs, CancelToken)) return;
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            action();
        }

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (_disposed || !disposing) return;
            _disposed = true;
            // Also reached when a downstream Select-Object -First stops the pipeline: stop what is in flight.
            _cancel.Cancel();
            _inbox.CompleteAdding();
            _cancel.Dispose();
        }
    }
}
