using System;
using System.Collections.Generic;

namespace NlbTools
{
    /// <summary>An asynchronous NLB job (e.g. from UpdateListenerAttribute). Pipes into Wait-NlbJob.</summary>
    public sealed class NlbJob
    {
        public string? JobId { get; set; }
        public string? RequestId { get; set; }
        public string? ListenerId { get; set; }
        public string? RegionId { get; set; }
        /// <summary>The API action that started the job, e.g. UpdateListenerAttribute.</summary>
        public string? Action { get; set; }
        public string? ClientToken { get; set; }
        /// <summary>The status a listener that already had the requested values gets: no request, no job, no JobId.</summary>
        public const string NoChangeStatus = "NoChange";

        /// <summary>Processing when just submitted; Succeeded or Failed once polled; NoChange when nothing was sent.</summary>
        public string? Status { get; set; }
        /// <summary>When the job was submitted (UTC), if this session submitted it.</summary>
        public DateTimeOffset? SubmittedAt { get; set; }
        /// <summary>When Wait-NlbJob saw the final status (or gave up); set by Wait-NlbJob.</summary>
        public DateTimeOffset? ObservedAt { get; set; }
        /// <summary>
        /// From submission (or, for a job this session did not submit, from the start of waiting) to ObservedAt.
        /// Not the job's own run time, which the job API does not report: a job can end well before it is seen.
        /// </summary>
        public TimeSpan? Elapsed { get; set; }
        /// <summary>One entry per attribute sent (Name, Before, After); empty for NoChange.</summary>
        public IReadOnlyList<ListenerChange>? Changes { get; set; }

        /// <summary>Nothing was sent: Wait-NlbJob passes such a job through as it is.</summary>
        internal bool IsNoChange => string.IsNullOrEmpty(JobId) && Status == NoChangeStatus;
        public override string ToString() => JobId ?? "";

        internal NlbJob With(string status, DateTimeOffset observedAt, TimeSpan elapsed) => new NlbJob
        {
            JobId = JobId, RequestId = RequestId, ListenerId = ListenerId, RegionId = RegionId, Action = Action,
            ClientToken = ClientToken, SubmittedAt = SubmittedAt, Status = status, ObservedAt = observedAt, Elapsed = elapsed, Changes = Changes,
        };
    }
}
