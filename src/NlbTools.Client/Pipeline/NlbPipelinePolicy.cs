using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace NlbTools.Client.Pipeline
{
    /// <summary>One stage of the pipeline. Call <c>next()</c> to run the rest of it (a retry policy calls it more than once).</summary>
    public abstract class NlbPipelinePolicy
    {
        public abstract Task ProcessAsync(NlbMessage message, Func<Task> next);
    }

    /// <summary>An ordered list of policies ending in a transport: retry -> listener status -> pacing -> sign -> log -> transport.</summary>
    public sealed class NlbPipeline
    {
        private readonly NlbPipelinePolicy[] _policies;
        private readonly NlbTransport _transport;

        public NlbPipeline(IEnumerable<NlbPipelinePolicy> policies, NlbTransport transport)
        {
            _policies = policies.ToArray();
            _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        }

        public IReadOnlyList<NlbPipelinePolicy> Policies => _policies;

        public Task SendAsync(NlbMessage message) => Invoke(0, message);

        private Task Invoke(int index, NlbMessage message)
        {
            if (index == _policies.Length) return SendToTransport(message);
            return _policies[index].ProcessAsync(message, () => Invoke(index + 1, message));
        }

        private async Task SendToTransport(NlbMessage message)
        {
            message.ArmAttemptTimeout?.Invoke();
            message.Response = await _transport.SendAsync(message.Request, message.CancellationToken).ConfigureAwait(false);
        }
    }
}
