using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NlbTools.Client;
using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using NlbTools.Session;

namespace NlbTools.Engine
{
    /// <summary>
    /// Waits for many jobs of one region on one shared schedule: every round asks ListAsynJobs about up to 20
    /// jobs per request (the requests of a round run side by side), so a batch of N jobs costs about N/20
    /// requests per round instead of N. Rounds start 1 s apart and back off up to a cap while no new job
    /// arrives; once the input has ended, one catch-up round is timed for the youngest job's first check.
    /// Falls back to GetJobStatus per job only when ListAsynJobs is not available. A round that fails with
    /// anything but a passing service error (credentials gone, a disposed client, a bug) fails every tracked
    /// job with that error at once, rather than leaving them to time out.
    /// </summary>
    internal sealed class JobPoller
    {
        private const int ParallelRequests = 8;
        private const int MissesBeforeDirectCheck = 2;
        private const int FailedRoundsBeforeGivingUp = 4;

        private readonly object _gate = new object();
        private readonly Dictionary<string, Entry> _jobs = new Dictionary<string, Entry>(StringComparer.Ordinal);
        private readonly NlbClient _client;
        private readonly string? _regionId;
        private readonly ICallObserver? _observer;
        private readonly CancellationToken _cancel;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private bool _running;
        private bool _jobsAdded;
        private TimeSpan _lastTracked;
        private TimeSpan? _catchUpAt;
        private TaskCompletionSource<bool> _wake = NewWake();
        private Task _loop = Task.CompletedTask;
        private volatile bool _useGetJobStatus;
        private int _failedRounds;
        private int _requests;

        public JobPoller(NlbClient client, string? regionId, ICallObserver? observer, CancellationToken cancel)
        {
            _client = client;
            _regionId = regionId;
            _observer = observer;
            _cancel = cancel;
        }

        public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>Polling requests sent so far (ListAsynJobs and GetJobStatus).</summary>
        public int RequestsSent => Volatile.Read(ref _requests);

        /// <summary>Completes when the job succeeds or fails; faults when it cannot be found or polling keeps failing.</summary>
        public Task<JobOutcome> Track(string jobId)
        {
            lock (_gate)
            {
                if (_jobs.TryGetValue(jobId, out var existing)) return existing.Done.Task;
                var entry = new Entry();
                _jobs.Add(jobId, entry);
                _jobsAdded = true;
                _lastTracked = _clock.Elapsed;
                if (!_running)
                {
                    _running = true;
                    _loop = Task.Run(RunObservedAsync);
                }
                return entry.Done.Task;
            }
        }

        /// <summary>The last status the service reported (Processing until the first answer).</summary>
        public string LastStatus(string jobId)
        {
            lock (_gate) return _jobs.TryGetValue(jobId, out var e) ? e.LastStatus : "Unknown";
        }

        /// <summary>
        /// No more jobs will be tracked (Wait-NlbJob's input has ended). The next round is then timed for the
        /// youngest job's first check rather than left to the shared schedule, which could keep the last jobs of
        /// a batch waiting up to a whole round after they finished.
        /// </summary>
        public void InputEnded()
        {
            TaskCompletionSource<bool> wake;
            lock (_gate)
            {
                if (!_running) return;
                _catchUpAt = _lastTracked + FirstDelay;
                wake = _wake;
            }
            wake.TrySetResult(true);
        }

        /// <summary>Stop polling a job (it timed out).</summary>
        public void Forget(string jobId)
        {
            lock (_gate) _jobs.Remove(jobId);
        }

        /// <summary>The polling loop; completes when no job is left. Never faults: a failure fails the jobs instead.</summary>
        internal Task Loop
        {
            get { lock (_gate) return _loop; }
        }

        private async Task RunObservedAsync()
        {
            try
            {
                await RunAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
                CancelAll();
            }
            catch (Exception e)
            {
                FailAll(e);
            }
        }

        private async Task RunAsync()
        {
            CallObserver.Current = _observer;
            var delay = FirstDelay;
            var nextRound = _clock.Elapsed + FirstDelay;
            var lastRound = TimeSpan.MinValue;
            while (true)
            {
                try
                {
                    await WaitForRoundAsync(nextRound, lastRound).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    CancelAll();
                    return;
                }

                List<string> ids;
                bool fresh;
                lock (_gate)
                {
                    if (_jobs.Count == 0)
                    {
                        _running = false;
                        _catchUpAt = null;
                        return;
                    }
                    ids = _jobs.Keys.ToList();
                    fresh = _jobsAdded;
                    _jobsAdded = false;
                    lastRound = _clock.Elapsed;
                    if (_catchUpAt <= lastRound) _catchUpAt = null;
                }

                await PollRoundAsync(ids).ConfigureAwait(false);

                // New jobs restart the schedule at the first step; otherwise back off towards the cap. The delay
                // runs from the start of the round, so the round's own requests do not stretch the schedule.
                delay = fresh ? FirstDelay : TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
                nextRound = lastRound + delay;
            }
        }

        /// <summary>Until the next round is due: the schedule's, or the catch-up round (never closer than a quarter step to the last).</summary>
        private async Task WaitForRoundAsync(TimeSpan nextRound, TimeSpan lastRound)
        {
            while (true)
            {
                var due = nextRound;
                Task woken;
                lock (_gate)
                {
                    if (_catchUpAt is TimeSpan catchUp && catchUp < due)
                        due = lastRound == TimeSpan.MinValue ? catchUp : TimeSpan.FromTicks(Math.Max(catchUp.Ticks, (lastRound + TimeSpan.FromTicks(FirstDelay.Ticks / 4)).Ticks));
                    if (_wake.Task.IsCompleted) _wake = NewWake();
                    woken = _wake.Task;
                }
                var wait = due - _clock.Elapsed;
                if (wait <= TimeSpan.Zero) return;
                await Task.WhenAny(Task.Delay(wait, _cancel), woken).ConfigureAwait(false);
                _cancel.ThrowIfCancellationRequested();
            }
        }

        private static TaskCompletionSource<bool> NewWake() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private async Task PollRoundAsync(List<string> ids)
        {
            using (var slots = new SemaphoreSlim(ParallelRequests))
            {
                var requests = new List<Task>();
                foreach (var chunk in IdChunks.Of(ids))
                {
                    await slots.WaitAsync(_cancel).ConfigureAwait(false);
                    requests.Add(PollChunkAsync(chunk).ContinueWith(t => { slots.Release(); return t; }, TaskScheduler.Default).Unwrap());
                }
                await Task.WhenAll(requests).ConfigureAwait(false);
            }
        }

        private async Task PollChunkAsync(List<string> ids)
        {
            if (_useGetJobStatus)
            {
                foreach (var id in ids) await CheckOneAsync(id).ConfigureAwait(false);
                return;
            }

            ListAsynJobsResponse response;
            try
            {
                Interlocked.Increment(ref _requests);
                response = await _client.ListAsynJobsAsync(new ListAsynJobsRequest { RegionId = _regionId, JobIds = ids }, _cancel).ConfigureAwait(false);
            }
            catch (NlbException e) when (NlbErrorClassifier.IsOperationUnavailable(e))
            {
                _useGetJobStatus = true;
                foreach (var id in ids) await CheckOneAsync(id).ConfigureAwait(false);
                return;
            }
            catch (NlbException e)
            {
                RoundFailed(ids, e);
                return;
            }

            Interlocked.Exchange(ref _failedRounds, 0);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var job in response.Jobs)
            {
                if (job.Id == null) continue;
                seen.Add(job.Id);
                Report(job.Id, job.Status);
            }
            // A job the batch query does not know is asked about directly, which gives a real status or a real error.
            foreach (var id in ids.Where(i => !seen.Contains(i)))
            {
                Entry? entry;
                lock (_gate) _jobs.TryGetValue(id, out entry);
                if (entry != null && ++entry.Misses >= MissesBeforeDirectCheck) await CheckOneAsync(id).ConfigureAwait(false);
            }
        }

        private async Task CheckOneAsync(string id)
        {
            try
            {
                Interlocked.Increment(ref _requests);
                var status = await _client.GetJobStatusAsync(new GetJobStatusRequest { JobId = id }, _cancel).ConfigureAwait(false);
                Report(id, status.Status);
            }
            catch (NlbException e) when (NlbErrorClassifier.IsNotFound(e))
            {
                Fail(id, e);
            }
            catch (NlbException e)
            {
                RoundFailed(new List<string> { id }, e);
            }
        }

        private void RoundFailed(List<string> ids, NlbException error)
        {
            // The client has already retried; a few bad rounds in a row mean the jobs cannot be watched. An error
            // that no retry mends (Forbidden, a bad key) ends them at once.
            var failedRounds = Interlocked.Increment(ref _failedRounds);
            if (NlbErrorClassifier.IsRetryable(error, isWrite: false) && failedRounds < FailedRoundsBeforeGivingUp) return;
            foreach (var id in ids) Fail(id, error);
        }

        private void Report(string id, string? status)
        {
            var normalized = Normalize(status);
            Entry? entry;
            lock (_gate)
            {
                if (!_jobs.TryGetValue(id, out entry)) return;
                entry.LastStatus = normalized;
                entry.Misses = 0;
                if (normalized != "Succeeded" && normalized != "Failed") return;
                _jobs.Remove(id);
            }
            entry.Done.TrySetResult(new JobOutcome(normalized, DateTimeOffset.UtcNow));
        }

        private void Fail(string id, Exception error)
        {
            Entry? entry;
            lock (_gate)
            {
                if (!_jobs.TryGetValue(id, out entry)) return;
                _jobs.Remove(id);
            }
            entry.Done.TrySetException(error);
        }

        private void CancelAll()
        {
            foreach (var e in TakeAll()) e.Done.TrySetCanceled();
        }

        private void FailAll(Exception error)
        {
            foreach (var e in TakeAll()) e.Done.TrySetException(error);
        }

        private List<Entry> TakeAll()
        {
            lock (_gate)
            {
                var all = _jobs.Values.ToList();
                _jobs.Clear();
                _running = false;
                _catchUpAt = null;
                return all;
            }
        }

        /// <summary>The doc spells Processing in two cases; anything unknown counts as still running.</summary>
        internal static string Normalize(string? status)
        {
            if (string.Equals(status, "Succeeded", StringComparison.OrdinalIgnoreCase)) return "Succeeded";
            if (string.Equals(status, "Failed", StringComparison.OrdinalIgnoreCase)) return "Failed";
            return "Processing";
        }

        private sealed class Entry
        {
            public readonly TaskCompletionSource<JobOutcome> Done = new TaskCompletionSource<JobOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            public string LastStatus = "Processing";
            public int Misses;
        }
    }
}
