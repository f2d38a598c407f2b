using System;

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
        /// <summary>Submitted when just started; Processing, Succeeded or Failed once polled.</summary>
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

        public override string ToString() => JobId ?? "";

        internal NlbJob With(string status, DateTimeOffset observedAt, TimeSpan elapsed) => new NlbJob
        {
            JobId = JobId, RequestId = RequestId, ListenerId = ListenerId, RegionId = RegionId, Action = Action,
            ClientToken = ClientToken, SubmittedAt = SubmittedAt, Status = status, ObservedAt = observedAt, Elapsed = elapsed,
        };
    }
}
