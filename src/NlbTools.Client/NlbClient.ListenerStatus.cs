using System.Threading;
using System.Threading.Tasks;
using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;

namespace NlbTools.Client
{
    public sealed partial class NlbClient
    {
        /// <summary>The policy that tells a busy listener from a settled one; it reads the status through this client.</summary>
        private ListenerStatusPolicy ListenerStatus() => new ListenerStatusPolicy(ReadListenerStatusAsync);

        private async Task<string?> ReadListenerStatusAsync(string listenerId, string? regionId, CancellationToken cancellationToken)
        {
            var answer = await GetListenerAttributeAsync(new GetListenerAttributeRequest { ListenerId = listenerId, RegionId = regionId }, cancellationToken).ConfigureAwait(false);
            return answer.Listener.ListenerStatus;
        }
    }
}
