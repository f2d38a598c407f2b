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
        /// <summary>From submission (or from the start of waiting) to the final status; set by Wait-NlbJob.</summary>
        public TimeSpan? Duration { get; set; }

        public override string ToString() => JobId ?? "";

        internal NlbJob With(string status, TimeSpan? duration) => new NlbJob
        {
            JobId = JobId, RequestId = RequestId, ListenerId = ListenerId, RegionId = RegionId, Action = Action,
            ClientToken = ClientToken, SubmittedAt = SubmittedAt, Status = status, Duration = duration,
        };
    }
}
