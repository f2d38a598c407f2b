using System;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Pipeline
{
    /// <summary>
    /// IncorrectStatus.listener means "not now" for a listener that is busy (Configuring, Starting, Stopping,
    /// Provisioning): retried, the job in the way ends soon. For a listener in a state that will not change by
    /// itself (Stopped) it means "no": waiting would only burn the budget. The service's answer has the same code
    /// and message in both cases (it names no state), so this policy reads the listener's status once and, when it
    /// is settled, raises the error at once, naming the state; otherwise the retry policy carries on.
    /// Pipeline: retry -> listener status -> pacing -> sign -> log -> transport.
    /// </summary>
    public sealed class ListenerStatusPolicy : NlbPipelinePolicy
    {
        public const string Code = "IncorrectStatus.listener";

        private readonly Func<string, string?, CancellationToken, Task<string?>> _readStatus;

        /// <param name="readStatus">Reads a listener's ListenerStatus (listener id, region, token); a failure to read lets the retries go on.</param>
        public ListenerStatusPolicy(Func<string, string?, CancellationToken, Task<string?>> readStatus)
        {
            _readStatus = readStatus ?? throw new ArgumentNullException(nameof(readStatus));
        }

        /// <summary>States a listener leaves by itself: a change may be retried while the listener is in one of them.</summary>
        public static bool IsPassing(string? status)
            => status == null || status == "Running" || status == "Configuring" || status == "Provisioning" || status == "Starting" || status == "Stopping";

        public override async Task ProcessAsync(NlbMessage message, Func<Task> next)
        {
            await next().ConfigureAwait(false);
            var error = message.GetServiceError();
            if (error == null || error.Code != Code || !message.IsWrite) return;
            var listenerId = MessageSubject.Parameter(message, "ListenerId");
            if (listenerId == null) return;

            string? status;
            try
            {
                status = await _readStatus(listenerId, MessageSubject.Parameter(message, "RegionId"), message.CallerCancellationToken).ConfigureAwait(false);
            }
            catch (NlbException)
            {
                return; // cannot tell: the retry policy decides as before
            }
            if (IsPassing(status)) return;

            var hint = status == "Stopped" ? " Start it first (StartListener), then make the change." : "";
            throw new NlbException(error.Code,
                $"{error.Message} The listener {listenerId} is {status}, a state it does not leave by itself, so the change was not retried.{hint}",
                error.HttpStatus, error.RequestId)
            {
                HostId = error.HostId,
                Recommend = error.Recommend,
            };
        }
    }
}
