using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Engine;

namespace NlbTools.Commands
{
    /// <summary>
    /// Waits for NLB jobs until they succeed or fail. All piped jobs are waited for together: one shared
    /// polling schedule per region asks ListAsynJobs about up to 20 jobs per request. Each job is written,
    /// in input order, with its final Status and Duration; a failure or a timeout is a non-terminating error.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "NlbJob", DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(NlbJob))]
    public sealed class WaitNlbJobCommand : NlbApiCmdlet
    {
        private const string JobIdSet = "JobId";
        private const string InputObjectSet = "InputObject";
        private const int ProgressActivityId = 1;
        private const int JobsShownInProgress = 10;
        private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(250);

        private readonly List<Waiting> _waiting = new List<Waiting>();
        private readonly Dictionary<NlbClient, JobPoller> _pollers = new Dictionary<NlbClient, JobPoller>();
        private int _written;
        private int _succeeded;
        private int _failed;
        private DateTime _lastProgress = DateTime.MinValue;
        private bool _showProgress;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = JobIdSet)]
        public string[]? JobId { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNull]
        public NlbJob[]? InputObject { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; } = 600;

        /// <summary>Polling requests sent by this run (for the bench and tests).</summary>
        internal int PollRequests => _pollers.Values.Sum(p => p.RequestsSent);

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            // Skip building progress records nobody will see (CI sets $ProgressPreference = 'SilentlyContinue').
            var preference = SessionState.PSVariable.GetValue("ProgressPreference");
            _showProgress = !(preference is ActionPreference p && (p == ActionPreference.SilentlyContinue || p == ActionPreference.Ignore));
        }

        protected override void ProcessRecord()
        {
            var target = ResolveTarget();
            var jobs = InputObject ?? JobId!.Select(id => new NlbJob { JobId = id, RegionId = target.RegionId }).ToArray();
            foreach (var job in jobs)
            {
                if (job.IsNoChange)
                {
                    // Set-NlbListenerAttribute sent nothing for this listener: there is no job to wait for. It
                    // passes through in its place in the input order.
                    _waiting.Add(new Waiting(job, Poller(target), Task.FromResult(new JobOutcome(NlbJob.NoChangeStatus, DateTimeOffset.UtcNow)), DateTimeOffset.UtcNow, TimeSpan.FromSeconds(TimeoutSec)));
                    continue;
                }
                if (string.IsNullOrEmpty(job.JobId))
                {
                    WriteError(new ErrorRecord(new PSArgumentException("The input has no JobId."), "JobIdMissing", ErrorCategory.InvalidArgument, job));
                    continue;
                }
                var poller = Poller(target);
                _waiting.Add(new Waiting(job, poller, poller.Track(job.JobId!), DateTimeOffset.UtcNow, TimeSpan.FromSeconds(TimeoutSec)));
            }
            // Jobs that are already done are written now; the rest are waited for together in EndProcessing.
            WriteFinished();
        }

        protected override void EndProcessing()
        {
            foreach (var poller in _pollers.Values) poller.InputEnded();
            while (_written < _waiting.Count)
            {
                WriteFinished();
                if (_written >= _waiting.Count) break;
                ShowProgress();
                // Wake as soon as the job at the head of the input order ends (not at the next tick), or at the
                // tick for progress and deadlines; what other threads post runs meanwhile.
                if (CancelToken.IsCancellationRequested) throw new PipelineStoppedException();
                Await(Task.WhenAny(_waiting[_written].Done, Task.Delay(s_tick, CancelToken)));
            }
            if (_waiting.Count > 0 && _showProgress)
                WriteProgress(new ProgressRecord(ProgressActivityId, "Waiting for NLB jobs", "Done") { RecordType = ProgressRecordType.Completed });
        }

        /// <summary>Writes the finished (or timed-out) jobs at the head of the input order.</summary>
        private void WriteFinished()
        {
            RunPosted();
            var now = DateTimeOffset.UtcNow;
            while (_written < _waiting.Count)
            {
                var w = _waiting[_written];
                if (w.Done.IsCompleted) Write(w);
                else if (now >= w.Deadline) WriteTimeout(w);
                else break;
                _written++;
                if (w.ShownInProgress && _showProgress)
                    WriteProgress(new ProgressRecord(JobActivityId(w), $"Job {w.Job.JobId}", w.Job.Status ?? "Done") { ParentActivityId = ProgressActivityId, RecordType = ProgressRecordType.Completed });
            }
        }

        private void Write(Waiting w)
        {
            if (w.Done.IsCanceled) throw new PipelineStoppedException();
            if (w.Done.IsFaulted)
            {
                _failed++;
                WriteApiError(w.Done.Exception!.GetBaseException(), w.Job);
                return;
            }
            var outcome = w.Done.Result;
            if (w.Job.IsNoChange)
            {
                WriteObject(w.Job);
                return;
            }
            var finished = w.Job.With(outcome.Status, outcome.ObservedAt - (w.Job.SubmittedAt ?? w.Started));
            if (outcome.Succeeded)
            {
                _succeeded++;
                WriteObject(finished);
            }
            else
            {
                _failed++;
                WriteError(NlbErrors.JobFailed(finished));
            }
        }

        private void WriteTimeout(Waiting w)
        {
            var last = w.Poller.LastStatus(w.Job.JobId!);
            w.Poller.Forget(w.Job.JobId!);
            _failed++;
            WriteError(NlbErrors.JobTimedOut(w.Job.With(last, DateTimeOffset.UtcNow - (w.Job.SubmittedAt ?? w.Started)), last, w.Timeout));
        }

        /// <summary>One summary record plus one child record per running job (the first few), about once a second.</summary>
        private void ShowProgress()
        {
            if (!_showProgress || DateTime.UtcNow - _lastProgress < TimeSpan.FromSeconds(1)) return;
            _lastProgress = DateTime.UtcNow;
            var total = _waiting.Count;
            var done = _waiting.Count(w => w.Done.IsCompleted);
            WriteProgress(new ProgressRecord(ProgressActivityId, "Waiting for NLB jobs", $"{done} of {total} finished ({_failed} failed)")
            {
                PercentComplete = total == 0 ? 0 : (int)(100.0 * done / total),
            });
            foreach (var w in _waiting.Skip(_written).Where(w => !w.Done.IsCompleted).Take(JobsShownInProgress))
            {
                w.ShownInProgress = true;
                var elapsed = DateTimeOffset.UtcNow - (w.Job.SubmittedAt ?? w.Started);
                var listener = w.Job.ListenerId != null ? $" on {w.Job.ListenerId}" : "";
                WriteProgress(new ProgressRecord(JobActivityId(w), $"Job {w.Job.JobId}{listener}", $"{w.Poller.LastStatus(w.Job.JobId!)}, {elapsed.TotalSeconds:0} s")
                {
                    ParentActivityId = ProgressActivityId,
                });
            }
        }

        private int JobActivityId(Waiting w) => ProgressActivityId + 1 + _waiting.IndexOf(w);

        private JobPoller Poller(ApiTarget target)
        {
            if (!_pollers.TryGetValue(target.Client, out var poller))
            {
                poller = new JobPoller(target.Client, target.RegionId, this, CancelToken);
                _pollers.Add(target.Client, poller);
            }
            return poller;
        }

        private sealed class Waiting
        {
            public Waiting(NlbJob job, JobPoller poller, Task<JobOutcome> done, DateTimeOffset started, TimeSpan timeout)
            {
                Job = job;
                Poller = poller;
                Done = done;
                Started = started;
                Timeout = timeout;
                Deadline = started + timeout;
            }

            public NlbJob Job { get; }
            public JobPoller Poller { get; }
            public Task<JobOutcome> Done { get; }
            public DateTimeOffset Started { get; }
            public TimeSpan Timeout { get; }
            public DateTimeOffset Deadline { get; }
            public bool ShownInProgress { get; set; }
        }
    }
}
