using System;
using System.Threading.Tasks;
using NlbTools.Client.Pacing;

namespace NlbTools.Client.Pipeline
{
    /// <summary>
    /// Client-side pacing: before each attempt, a token from the (endpoint, action) pacer; after it, the answer
    /// teaches the pacer (throttled or not). It sits inside the retry loop, so a retry waits for a token like a
    /// first attempt does, and before signing, so the signature's date and nonce are fresh after the wait.
    /// Pipeline: retry -> listener status -> pacing -> sign -> log -> transport.
    /// </summary>
    public sealed class PacingPolicy : NlbPipelinePolicy
    {
        private readonly NlbClientOptions _options;

        public PacingPolicy(NlbClientOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
        }

        public override async Task ProcessAsync(NlbMessage message, Func<Task> next)
        {
            var clock = _options.Clock;
            var pacer = _options.Pacers.For(message.Request.Uri, message.Action);
            var ticket = pacer.Reserve(clock.UtcNow);
            while (ticket.Wait > TimeSpan.Zero)
            {
                await clock.Delay(ticket.Wait, message.CallerCancellationToken).ConfigureAwait(false);
                if (pacer.Cuts == ticket.Era) break;
                ticket = pacer.Reserve(clock.UtcNow); // the pace was cut while this one waited: queue again at the new pace
            }

            var throttled = false;
            try
            {
                await next().ConfigureAwait(false);
                var error = message.GetServiceError();
                throttled = error != null && NlbErrorClassifier.IsThrottling(error);
            }
            finally
            {
                // Only a throttling answer is a refusal by the quota; anything else (a lost answer too) was let through.
                if (!message.CallerCancellationToken.IsCancellationRequested)
                {
                    var change = pacer.Answered(ticket, throttled, clock.UtcNow);
                    if (change != null) _options.Log?.Invoke($"{message.Action} pacing ({message.Request.Uri.Host}): {change}");
                }
            }
        }
    }
}
