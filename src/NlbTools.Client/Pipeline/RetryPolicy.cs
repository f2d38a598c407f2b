using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Pipeline
{
    /// <summary>
    /// Runs the rest of the pipeline up to MaxAttempts times within the TotalTimeout budget.
    /// What is retried is <see cref="NlbErrorClassifier.IsRetryable"/>'s decision (network errors, timeouts, 5xx,
    /// throttling, busy; for writes also a busy listener).
    /// The wait is x-acs-retry-after when the answer has one, else capped exponential back-off with full jitter.
    /// When it gives up on a service error it returns with that answer in place (the client raises it);
    /// a transport failure is raised here as NlbException Transport.Timeout / Transport.ConnectionFailed.
    /// </summary>
    public sealed class RetryPolicy : NlbPipelinePolicy
    {
        private static readonly Random Jitter = new Random();
        private readonly NlbClientOptions _options;

        public RetryPolicy(NlbClientOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
        }

        public override async Task ProcessAsync(NlbMessage message, Func<Task> next)
        {
            var clock = _options.Clock;
            var callerToken = message.CallerCancellationToken;
            var maxAttempts = Math.Max(1, _options.MaxAttempts);
            var started = clock.UtcNow;

            for (var attempt = 1; ; attempt++)
            {
                callerToken.ThrowIfCancellationRequested();
                message.Attempt = attempt;
                message.Response = null;

                var remaining = _options.TotalTimeout - (clock.UtcNow - started);
                var attemptTimeout = remaining < _options.RequestTimeout ? remaining : _options.RequestTimeout;
                if (attemptTimeout <= TimeSpan.Zero) attemptTimeout = TimeSpan.FromMilliseconds(1);

                NlbException? failure = null;
                using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(callerToken))
                {
                    attemptCts.CancelAfter(attemptTimeout);
                    message.CancellationToken = attemptCts.Token;
                    try
                    {
                        await next().ConfigureAwait(false);
                    }
                    catch (OperationCanceledException ex) when (!callerToken.IsCancellationRequested && attemptCts.IsCancellationRequested)
                    {
                        failure = new NlbException("Transport.Timeout",
                            $"{message.Action}: no answer from {message.Request.Uri.Host} within {attemptTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.", 0, null, ex);
                    }
                    catch (Exception ex) when (IsNetworkError(ex))
                    {
                        failure = ex as NlbException ?? new NlbException("Transport.ConnectionFailed",
                            $"{message.Action}: could not reach {message.Request.Uri.Host}: {ex.Message}", 0, null, ex);
                    }
                    finally
                    {
                        message.CancellationToken = callerToken;
                    }
                }

                if (failure == null)
                {
                    var error = message.GetServiceError();
                    if (error == null || !NlbErrorClassifier.IsRetryable(error, message.IsWrite)) return;
                    failure = error;
                }

                var delay = failure.RetryAfterMs is int ms && ms > 0 ? TimeSpan.FromMilliseconds(ms) : Backoff(attempt);
                var elapsed = clock.UtcNow - started;
                string? giveUp = attempt >= maxAttempts ? $"after {attempt} attempts"
                    : elapsed + delay >= _options.TotalTimeout ? $"the {_options.TotalTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s budget would be exceeded"
                    : null;
                if (giveUp != null)
                {
                    _options.Log?.Invoke($"{message.Action}: {failure.Code}, giving up ({giveUp}).");
                    if (message.Response != null && failure.HttpStatus != 0) return; // the client raises the service error
                    throw failure;
                }

                var info = new NlbRetryInfo(message.Action, attempt, maxAttempts, failure.Code, failure.HttpStatus, failure.RequestId, delay, NlbErrorClassifier.IsThrottling(failure));
                _options.Log?.Invoke($"{message.Action}: {failure.Code} on attempt {attempt} of {maxAttempts}, retrying in {delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.");
                _options.OnRetry?.Invoke(info);
                await clock.Delay(delay, callerToken).ConfigureAwait(false);
            }
        }

        private TimeSpan Backoff(int attempt)
        {
            // Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))).
            var ceiling = _options.BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
            ceiling = Math.Min(ceiling, _options.BackoffCap.TotalMilliseconds);
            double r;
            lock (Jitter) r = Jitter.NextDouble();
            return TimeSpan.FromMilliseconds(Math.Floor(r * ceiling));
        }

        private static bool IsNetworkError(Exception ex)
            => ex is HttpRequestException || ex is IOException || ex is SocketException
               || (ex is NlbException n && NlbErrorClassifier.IsTransport(n));
    }
}
