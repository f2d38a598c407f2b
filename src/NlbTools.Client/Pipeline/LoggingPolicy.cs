using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;

namespace NlbTools.Client.Pipeline
{
    /// <summary>
    /// One line per attempt: action, endpoint host, attempt, HTTP status, code, RequestId, masked AccessKeyId, elapsed.
    /// It only ever reads the masked id: no secret, token, signature or body reaches the log.
    /// </summary>
    public sealed class LoggingPolicy : NlbPipelinePolicy
    {
        private readonly Action<string> _log;

        public LoggingPolicy(Action<string> log)
        {
            _log = log ?? throw new ArgumentNullException(nameof(log));
        }

        public override async Task ProcessAsync(NlbMessage message, Func<Task> next)
        {
            var stopwatch = Stopwatch.StartNew();
            var prefix = $"{message.Action} {message.Request.Uri.Host} attempt {message.Attempt.ToString(CultureInfo.InvariantCulture)}:";
            var who = $"AccessKeyId={message.MaskedAccessKeyId ?? "-"}";
            try
            {
                await next().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _log($"{prefix} failed ({ex.GetType().Name}: {ex.Message}) {who} {Elapsed(stopwatch)}");
                throw;
            }

            var response = message.Response;
            var error = message.GetServiceError();
            var status = response?.StatusCode.ToString(CultureInfo.InvariantCulture) ?? "-";
            var requestId = error?.RequestId ?? (response != null ? ServiceErrorReader.RequestIdOf(response) : null);
            _log($"{prefix} HTTP {status} {error?.Code ?? "OK"} RequestId={requestId ?? "-"} {who} {Elapsed(stopwatch)}");
        }

        private static string Elapsed(Stopwatch stopwatch) => stopwatch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture) + " ms";
    }
}
