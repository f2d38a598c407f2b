using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using NlbTools.Base;
using NlbTools.Client.Credentials;
using NlbTools.Engine;

namespace NlbTools.Commands
{
    /// <summary>
    /// Waits for NLB jobs until they succeed or fail. All piped jobs are waited for together: one shared
    /// polling schedule per region asks ListAsynJobs about up to 20 jobs per request. Each job is written,
    /// in input order, with its final Status and Elapsed; a failure or a timeout is a non-terminating error.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "NlbJob", DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(NlbJob))]
    public sealed class WaitNlbJobCommand : NlbApiCmdlet
    {
        private const string JobIdSet = "JobId";
        private const string InputObjectSet = "InputObject";
        private const int ProgressActivityId = 1;
        private const int JobsShownInProgress = 10;
        private const string ProgressActivity = "Waiting for NLB jobs";
        private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(250);

        private readonly List<WaitedJob> _waiting = new List<WaitedJob>();
        // Child progress records on screen, by activity id: each gets its Completed record before the parent's.
        private readonly Dictionary<WaitedJob, int> _shown = new Dictionary<WaitedJob, int>();
        private JobWaiter? _waiter;
        private int _nextChildId = ProgressActivityId + 1;
        private int _written;
        private int _failed;
        private DateTime _lastProgress = DateTime.MinValue;
        private bool _showProgress;
        private bool _progressWritten;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = JobIdSet)]
        public string[]? JobId { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNull]
        public NlbJob[]? InputObject { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; } = 600;

        /// <summary>Polling requests sent by this run (for the bench and tests).</summary>
        internal int PollRequests => _waiter?.RequestsSent ?? 0;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _waiter = new JobWaiter(this, CancelToken);
            _showProgress = BatchProgress.IsShown(this);
        }

        protected override void ProcessRecord()
        {
            var target = ResolveTarget();
            if (target == null) return;
            var jobs = InputObject ?? JobId!.Select(id => new NlbJob { JobId = id, RegionId = target.RegionId }).ToArray();
            foreach (var job in jobs)
            {
                if (string.IsNullOrEmpty(job.JobId) && !job.IsNoChange)
                {
                    WriteError(new ErrorRecord(new PSArgumentException("The input has no JobId."), ErrorIds.JobIdMissing, ErrorCategory.InvalidArgument, job));
                    continue;
                }
                _waiting.Add(_waiter!.Track(target.Client, target.RegionId, job, TimeSpan.FromSeconds(TimeoutSec)));
            }
            // Jobs that are already done are written now; the rest are waited for together in EndProcessing.
            WithProgressCleanup(WriteFinished);
        }

        protected override void EndProcessing()
        {
            _waiter!.InputEnded();
            WithProgressCleanup(() =>
            {
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
                CompleteProgress();
            });
        }

        /// <summary>Writes the finished (or timed-out) jobs at the head of the input order.</summary>
        private void WriteFinished()
        {
            RunPosted();
            while (_written < _waiting.Count)
            {
                var w = _waiting[_written];
                var result = _waiter!.TryResult(w);
                if (result == null) break;
                _written++;
                CompleteChild(w, result.Job.Status);
                if (result.Canceled) throw new PipelineStoppedException();
                if (!result.Succeeded) _failed++;
                if (result.Fault is NlbCredentialsException) CompleteProgress(); // the error below ends the command
                if (result.Fault != null) WriteApiError(result.Fault, result.Job, $"Job {result.Job.JobId}{(result.Job.ListenerId != null ? " on listener " + result.Job.ListenerId : "")}");
                else if (result.Error != null) WriteError(result.Error);
                else WriteObject(result.Job);
            }
        }

        /// <summary>One summary record plus one child record per running job (the first few), about once a second.</summary>
        private void ShowProgress()
        {
            if (!_showProgress || DateTime.UtcNow - _lastProgress < TimeSpan.FromSeconds(1)) return;
            _lastProgress = DateTime.UtcNow;
            _progressWritten = true;
            var total = _waiting.Count;
            var done = _waiting.Count(w => w.Done.IsCompleted);
            WriteProgress(new ProgressRecord(ProgressActivityId, ProgressActivity, $"{done} of {total} finished ({_failed} failed)")
            {
                PercentComplete = total == 0 ? 0 : (int)(100.0 * done / total),
            });
            // A job that has ended leaves the screen now, not when its turn in the output comes.
            foreach (var w in _shown.Keys.Where(w => w.Done.IsCompleted).ToList()) CompleteChild(w, StatusOf(w));
            foreach (var w in _waiting.Skip(_written).Where(w => !w.Done.IsCompleted).Take(JobsShownInProgress))
            {
                if (!_shown.TryGetValue(w, out var id)) _shown[w] = id = _nextChildId++;
                var elapsed = DateTimeOffset.UtcNow - w.Since;
                WriteProgress(new ProgressRecord(id, JobActivity(w), $"{w.LastStatus}, {elapsed.TotalSeconds:0} s") { ParentActivityId = ProgressActivityId });
            }
        }

        private static string StatusOf(WaitedJob w) => w.Done.Status == TaskStatus.RanToCompletion ? w.Done.Result.Status : w.LastStatus;

        /// <summary>The listener first: it is what the user knows; the job id is a GUID.</summary>
        private static string JobActivity(WaitedJob w)
            => w.Job.ListenerId != null ? $"{w.Job.ListenerId}: job {w.Job.JobId}" : $"Job {w.Job.JobId}";

        private void CompleteChild(WaitedJob w, string? status)
        {
            if (!_shown.TryGetValue(w, out var id)) return;
            _shown.Remove(w);
            WriteProgress(new ProgressRecord(id, JobActivity(w), status ?? "Done") { ParentActivityId = ProgressActivityId, RecordType = ProgressRecordType.Completed });
        }

        /// <summary>Every child still on screen, then the parent: a child left open keeps its lines after the parent clears.</summary>
        private void CompleteProgress()
        {
            if (!_progressWritten) return;
            foreach (var w in _shown.Keys.ToList()) CompleteChild(w, StatusOf(w));
            WriteProgress(new ProgressRecord(ProgressActivityId, ProgressActivity, "Done") { RecordType = ProgressRecordType.Completed });
            _progressWritten = false;
        }

        /// <summary>A terminating error (credentials gone) also clears the progress lines first.</summary>
        private void WithProgressCleanup(Action body)
        {
            try
            {
                body();
            }
            catch (PipelineStoppedException)
            {
                throw; // nothing may be written once the pipeline stops
            }
            catch
            {
                try { CompleteProgress(); }
                catch (PipelineStoppedException) { }
                throw;
            }
        }
    }
}
