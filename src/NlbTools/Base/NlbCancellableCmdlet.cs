using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NlbTools.Client;

namespace NlbTools.Base
{
    /// <summary>
    /// Cancellation and the pipeline-thread inbox. Ctrl+C (StopProcessing) cancels the token that every
    /// request, back-off and wait uses. Work on other threads never calls Write*: it posts to the inbox,
    /// and the pipeline thread runs what was posted while it waits.
    /// The pipeline thread waits without spinning: on a busy machine a spinning wait yields its core to
    /// other processes and comes back late (BlockingCollection spun and cost ~1 ms per call under load).
    /// </summary>
    public abstract class NlbCancellableCmdlet : PSCmdlet, IDisposable
    {
        private static readonly Action s_wakeUp = () => { };
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private readonly ConcurrentQueue<Action> _inbox = new ConcurrentQueue<Action>();
        // Never disposed: a late Post from another thread may still Set it, and without a WaitHandle it holds nothing.
        private readonly ManualResetEventSlim _posted = new ManualResetEventSlim(false, spinCount: 0);
        private volatile bool _closed;
        private bool _disposed;

        protected CancellationToken CancelToken => _cancel.Token;

        protected override void StopProcessing() => _cancel.Cancel();

        /// <summary>Runs <paramref name="action"/> on the pipeline thread the next time it pumps. Safe from any thread.</summary>
        internal void Post(Action action)
        {
            if (_closed) return; // the cmdlet is gone; late news from a cancelled call is dropped
            _inbox.Enqueue(action);
            _posted.Set();
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
            catch (OperationCanceledException e)
            {
                // Not Ctrl+C: something else cancelled the work (a timer, a disposed client). A transport error, never raw.
                throw new NlbException(NlbClient.UnexpectedCancelCode, "The operation was cancelled, but not by Ctrl+C: " + e.Message, 0, null, e);
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
            while (_inbox.TryDequeue(out var action)) action();
        }

        private void RunNext(int timeoutMs)
        {
            if (!_inbox.TryDequeue(out var action))
            {
                // Reset, then look again: a Post between the two is found by the second look, a later one sets the event.
                _posted.Reset();
                if (!_inbox.TryDequeue(out action))
                {
                    try
                    {
                        if (!_posted.Wait(timeoutMs, CancelToken) || !_inbox.TryDequeue(out action)) return;
                    }
                    catch (OperationCanceledException)
                    {
                        throw new PipelineStoppedException();
                    }
                }
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
            _closed = true;
            _cancel.Cancel();
            _cancel.Dispose();
        }
    }
}
