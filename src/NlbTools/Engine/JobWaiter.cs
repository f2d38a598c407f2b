using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Session;

namespace NlbTools.Engine
{
    /// <summary>How a job ended, and when we saw it end.</summary>
    internal sealed class JobOutcome
    {
        public JobOutcome(string status, DateTimeOffset observedAt)
        {
            Status = status;
            ObservedAt = observedAt;
        }

        /// <summary>Succeeded or Failed.</summary>
        public string Status { get; }
        public DateTimeOffset ObservedAt { get; }
        public bool Succeeded => Status == "Succeeded";
    }

    /// <summary>One job being waited for: where it is polled, and its deadline.</summary>
    internal sealed class WaitedJob
    {
        /// <param name="poller">Null for a NoChange job (nothing was sent): it is done already and passes through.</param>
        internal WaitedJob(NlbJob job, JobPoller? poller, DateTimeOffset started, TimeSpan timeout)
        {
            Job = job;
            Poller = poller;
            Started = started;
            Timeout = timeout;
            Deadline = started + timeout;
            Done = poller?.Track(job.JobId!) ?? Task.FromResult(new JobOutcome(NlbJob.NoChangeStatus, started));
        }

        public NlbJob Job { get; }
        public JobPoller? Poller { get; }
        public Task<JobOutcome> Done { get; }
        /// <summary>When waiting started; stands in for the submission time of a job this session did not submit.</summary>
        public DateTimeOffset Started { get; }
        public TimeSpan Timeout { get; }
        public DateTimeOffset Deadline { get; }
        public DateTimeOffset Since => Job.SubmittedAt ?? Started;
        public string LastStatus => Poller?.LastStatus(Job.JobId!) ?? Job.Status ?? "Unknown";
    }

    /// <summary>What waiting for one job came to: the finished job, an error record, a polling failure, or a cancel.</summary>
    internal sealed class JobResult
    {
        private JobResult(NlbJob job, ErrorRecord? error, Exception? fault, bool canceled)
        {
            Job = job;
            Error = error;
            Fault = fault;
            Canceled = canceled;
        }

        /// <summary>The job with its final (or, after a timeout, its last known) status.</summary>
        public NlbJob Job { get; }
        /// <summary>The job failed or timed out.</summary>
        public ErrorRecord? Error { get; }
        /// <summary>The job could not be watched (not found, polling failed, credentials gone): written as an API error.</summary>
        public Exception? Fault { get; }
        public bool Canceled { get; }
        public bool Succeeded => Error == null && Fault == null && !Canceled;

        internal static JobResult Finished(NlbJob job) => new JobResult(job, job.Status == "Succeeded" ? null : ErrorRecords.JobFailed(job), null, false);
        internal static JobResult TimedOut(NlbJob job, string lastStatus, TimeSpan timeout) => new JobResult(job, ErrorRecords.JobTimedOut(job, lastStatus, timeout), null, false);
        /// <summary>A NoChange job: nothing was sent, nothing failed; it is written as it came.</summary>
        internal static JobResult PassedThrough(NlbJob job) => new JobResult(job, null, null, false);
        internal static JobResult Faulted(NlbJob job, Exception fault) => new JobResult(job, null, fault, false);
        internal static JobResult WasCanceled(NlbJob job) => new JobResult(job, null, null, true);
    }

    /// <summary>
    /// The one place that waits for NLB jobs, for Wait-NlbJob and Set-NlbListenerAttribute -Wait: one shared
    /// poller per client and region, a deadline per job, and the turn of an outcome into an NlbJob or an error.
    /// </summary>
    internal sealed class JobWaiter
    {
        private readonly object _gate = new object();
        private readonly Dictionary<(NlbClient Client, string Region), JobPoller> _pollers = new Dictionary<(NlbClient, string), JobPoller>();
        private readonly ICallObserver? _observer;
        private readonly CancellationToken _cancel;
        private readonly Func<DateTimeOffset> _now;

        public JobWaiter(ICallObserver? observer, CancellationToken cancel, Func<DateTimeOffset>? now = null)
        {
            _observer = observer;
            _cancel = cancel;
            _now = now ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>Polling requests sent so far by all pollers (for the bench and tests).</summary>
        public int RequestsSent
        {
            get { lock (_gate) return _pollers.Values.Sum(p => p.RequestsSent); }
        }

        /// <summary>Starts watching a job (it must have a JobId, or be a NoChange job). Safe from any thread.</summary>
        public WaitedJob Track(NlbClient client, string? regionId, NlbJob job, TimeSpan timeout)
        {
            if (job.IsNoChange) return new WaitedJob(job, null, _now(), timeout);
            JobPoller poller;
            lock (_gate)
            {
                var key = (client, regionId ?? "");
                if (!_pollers.TryGetValue(key, out poller!))
                {
                    poller = new JobPoller(client, regionId, _observer, _cancel);
                    _pollers.Add(key, poller);
                }
            }
            return new WaitedJob(job, poller, _now(), timeout);
        }

        /// <summary>No more jobs will come: each poller times its last round for the youngest job.</summary>
        public void InputEnded()
        {
            List<JobPoller> pollers;
            lock (_gate) pollers = _pollers.Values.ToList();
            foreach (var p in pollers) p.InputEnded();
        }

        /// <summary>The result once the job has ended or its deadline has passed; null while it may still end in time.</summary>
        public JobResult? TryResult(WaitedJob w)
        {
            if (w.Done.IsCompleted) return Outcome(w);
            if (_now() < w.Deadline) return null;
            // The last state is read before the poller forgets the job: afterwards it would be unknown.
            var last = w.LastStatus;
            w.Poller?.Forget(w.Job.JobId!);
            return JobResult.TimedOut(w.Job.With(last, _now(), _now() - w.Since), last, w.Timeout);
        }

        /// <summary>Waits until the job ends or its deadline passes.</summary>
        public async Task<JobResult> WaitAsync(WaitedJob w, CancellationToken cancellationToken)
        {
            while (true)
            {
                var result = TryResult(w);
                if (result != null) return result;
                var left = w.Deadline - _now();
                if (left < TimeSpan.FromMilliseconds(1)) left = TimeSpan.FromMilliseconds(1);
                await Task.WhenAny(w.Done, Task.Delay(left, cancellationToken)).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested) return JobResult.WasCanceled(w.Job);
            }
        }

        private static JobResult Outcome(WaitedJob w)
        {
            if (w.Done.IsCanceled) return JobResult.WasCanceled(w.Job);
            if (w.Done.IsFaulted) return JobResult.Faulted(w.Job, w.Done.Exception!.GetBaseException());
            if (w.Job.IsNoChange) return JobResult.PassedThrough(w.Job);
            var outcome = w.Done.Result;
            return JobResult.Finished(w.Job.With(outcome.Status, outcome.ObservedAt, outcome.ObservedAt - w.Since));
        }
    }
}
