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
    /// Runs the rest of the pipeline until it succeeds, up to MaxAttempts failed attempts, within the TotalTimeout budget.
    /// What is retried is <see cref="NlbErrorClassifier.IsRetryable"/>'s decision (network errors, timeouts, 5xx,
    /// throttling, busy; for writes also a busy listener).
    /// A throttling refusal is not a failure of the request (the quota says "later", not "no"): it does not use up
    /// an attempt, only time, so the budget alone bounds it.
    /// The wait is x-acs-retry-after when the answer has one, spread by up to a quarter more so that the callers it
    /// refused at once do not all come back at once; else capped exponential back-off with full jitter.
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
            var failures = 0;
            var throttles = 0;

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
                    // Armed just before the transport: waiting for a pacing token is not waiting for an answer.
                    message.ArmAttemptTimeout = () => attemptCts.CancelAfter(attemptTimeout);
                    message.CancellationToken = attemptCts.Token;
                    try
                    {
                        await next().ConfigureAwait(false);
                    }
                    catch (OperationCanceledException ex) when (!callerToken.IsCancellationRequested && attemptCts.IsCancellationRequested)
                    {
                        failure = new NlbException("Transport.Timeout",
                            $"{MessageSubject.Of(message)}: no answer from {message.Request.Uri.Host} within {Seconds(attemptTimeout)} s.", 0, null, ex);
                    }
                    catch (Exception ex) when (IsNetworkError(ex))
                    {
                        failure = ex as NlbException ?? new NlbException("Transport.ConnectionFailed",
                            $"{message.Action}: could not reach {message.Request.Uri.Host}: {ex.Message}", 0, null, ex);
                    }
                    finally
                    {
                        message.CancellationToken = callerToken;
                        message.ArmAttemptTimeout = null;
                    }
                }

                if (failure == null)
                {
                    var error = message.GetServiceError();
                    if (error == null || !NlbErrorClassifier.IsRetryable(error, message.IsWrite)) return;
                    failure = error;
                }

                var throttled = NlbErrorClassifier.IsThrottling(failure);
                if (throttled) throttles++;
                else failures++;
                var delay = failure.RetryAfterMs is int ms && ms > 0 ? Spread(TimeSpan.FromMilliseconds(ms)) : Backoff(throttled ? throttles : failures);
                var elapsed = clock.UtcNow - started;
                var subject = MessageSubject.Of(message);
                string? giveUp = failures >= maxAttempts ? $"after {failures} failed attempts"
                    : elapsed + delay >= _options.TotalTimeout ? $"the {Seconds(_options.TotalTimeout)} s budget would be exceeded"
                    : null;
                if (giveUp != null)
                {
                    _options.Log?.Invoke($"{subject}: {failure.Code}, giving up ({giveUp}).");
                    if (message.Response != null && failure.HttpStatus != 0) return; // the client raises the service error
                    if (failure.Code == "Transport.Timeout")
                        throw new NlbException(failure.Code,
                            $"{subject}: no answer from {message.Request.Uri.Host} in {attempt} attempt{(attempt == 1 ? "" : "s")} over {Seconds(elapsed)} s " +
                            $"(each attempt waits up to {Seconds(_options.RequestTimeout)} s; NLBTOOLS_REQUEST_TIMEOUT_SEC changes that). The endpoint accepted the connection but did not answer.",
                            0, null, failure.InnerException);
                    throw failure;
                }

                var info = new NlbRetryInfo(message.Action, attempt, maxAttempts, failure.Code, failure.HttpStatus, failure.RequestId, delay, throttled);
                _options.Log?.Invoke(RetryLine(subject, failure, failures, maxAttempts, throttled, delay, attemptTimeout, _options.TotalTimeout - elapsed - delay));
                _options.OnRetry?.Invoke(info);
                await clock.Delay(delay, callerToken).ConfigureAwait(false);
            }
        }

        private string RetryLine(string subject, NlbException failure, int failures, int maxAttempts, bool throttled,
            TimeSpan delay, TimeSpan attemptTimeout, TimeSpan budgetLeft)
        {
            var wait = Seconds(delay);
            if (throttled) return $"{subject}: {failure.Code} (throttled; does not count as a failed attempt), retrying in {wait} s.";
            if (failure.Code == "Transport.Timeout")
            {
                // The attempts that still fit in the budget, so "2 of 4" is what will really happen.
                var fit = (int)Math.Ceiling(Math.Max(0, budgetLeft.Ticks) / (double)Math.Max(1, _options.RequestTimeout.Ticks));
                var planned = Math.Min(maxAttempts, failures + Math.Max(1, fit));
                return $"{subject}: no answer within {Seconds(attemptTimeout)} s, retrying ({failures + 1} of {planned}) in {wait} s.";
            }
            return $"{subject}: {failure.Code} on attempt {failures} of {maxAttempts}, retrying in {wait} s.";
        }

        private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

        /// <summary>The service's wait, plus up to a quarter more (at least 20 ms): never earlier than asked, never all at once.</summary>
        private static TimeSpan Spread(TimeSpan retryAfter)
        {
            double r;
            lock (Jitter) r = Jitter.NextDouble();
            return retryAfter + TimeSpan.FromMilliseconds(Math.Floor(r * Math.Max(20, retryAfter.TotalMilliseconds / 4)));
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
