using System;
using System.Threading;
using System.Threading.Tasks;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Client.Models;
using NlbTools.Commands;

namespace NlbTools.Engine
{
    /// <summary>
    /// Sends planned updates concurrently (up to the throttle limit; the client's pacing keeps them under the
    /// quota), waits for their jobs with -Wait, and counts them for the progress record. Each send yields what to
    /// write, run later on the pipeline thread in input order (OrderedResults).
    /// </summary>
    internal sealed class UpdateSender
    {
        private readonly NlbApiCmdlet _cmdlet;
        private readonly JobWaiter _waiter;
        private readonly BatchProgress _progress;
        private readonly SemaphoreSlim _slots;
        private readonly TimeSpan? _waitFor;

        /// <param name="waitFor">With -Wait, how long to wait for each job; null to write the job as submitted.</param>
        public UpdateSender(NlbApiCmdlet cmdlet, JobWaiter waiter, BatchProgress progress, int throttleLimit, TimeSpan? waitFor)
        {
            _cmdlet = cmdlet;
            _waiter = waiter;
            _progress = progress;
            _slots = new SemaphoreSlim(throttleLimit);
            _waitFor = waitFor;
        }

        /// <param name="whatIfPassed">Writes the "What if:" line once the DryRun precheck passed (pipeline thread).</param>
        public Task<Action?> Send(ApiTarget target, UpdatePlan plan, Action<UpdatePlan, string?, JobResponse> whatIfPassed)
        {
            var request = plan.Request;
            var listenerId = plan.ListenerId;
            var cmdlet = _cmdlet;
            _progress.OnSubmitted();
            _progress.Show(listenerId);
            var failed = false;
            var task = cmdlet.StartCall<Action?>(async ct =>
            {
                JobResponse response;
                await _slots.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    response = await target.Client.UpdateListenerAttributeAsync(request, ct).ConfigureAwait(false);
                }
                catch (NlbException e)
                {
                    failed = true;
                    return () => cmdlet.WriteListenerError(e, listenerId);
                }
                finally
                {
                    _slots.Release();
                }

                if (request.DryRun == true) return () => whatIfPassed(plan, target.RegionId, response);

                var job = new NlbJob
                {
                    JobId = response.JobId, RequestId = response.RequestId, ListenerId = listenerId, RegionId = target.RegionId,
                    Action = SetNlbListenerAttributeCommand.Action, ClientToken = response.ClientToken ?? request.ClientToken, Status = "Processing",
                    SubmittedAt = DateTimeOffset.UtcNow, Changes = plan.Changes,
                };
                if (_waitFor == null || string.IsNullOrEmpty(job.JobId)) return () => cmdlet.WriteObject(job);
                var result = await _waiter.WaitAsync(_waiter.Track(target.Client, target.RegionId, job, _waitFor.Value), ct).ConfigureAwait(false);
                if (result.Canceled) return null;
                failed = !result.Succeeded;
                if (result.Fault != null) return () => cmdlet.WriteListenerError(result.Fault, listenerId);
                if (result.Error != null) return () => cmdlet.WriteError(result.Error);
                var read = await target.Client.GetListenerAttributeAsync(new GetListenerAttributeRequest { RegionId = target.RegionId, ListenerId = listenerId }, ct).ConfigureAwait(false);
                var listener = NlbListener.From(read.Listener, target.RegionId);
                return () => cmdlet.WriteObject(listener);
            }, NlbApiCmdlet.ListenerSubject(listenerId));
            return task.ContinueWith(t =>
                {
                    // Counted as it comes back (any thread); shown from the pipeline thread while it waits.
                    _progress.OnFinished(failed || t.Status != TaskStatus.RanToCompletion);
                    cmdlet.Post(() => _progress.Show());
                    return t.Status == TaskStatus.RanToCompletion ? t.Result
                        : t.IsFaulted ? () => cmdlet.WriteListenerError(t.Exception!.GetBaseException(), listenerId)
                        : (Action?)null;
                },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
