using System.Threading;
using System.Threading.Tasks;
using NlbTools.Client.Json;
using NlbTools.Client.Models;

namespace NlbTools.Client
{
    /// <summary>Asynchronous job status.</summary>
    public sealed partial class NlbClient
    {
        public async Task<GetJobStatusResponse> GetJobStatusAsync(GetJobStatusRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, request?.JobId, nameof(request.JobId));
            var query = new RequestParameters()
                .Add("ClientToken", request!.ClientToken)
                .Add("JobId", request.JobId);
            var answer = await CallAsync("GetJobStatus", false, Region(request.RegionId), query, new RequestParameters(), false, cancellationToken).ConfigureAwait(false);
            return Read(answer, NlbJson.Read<GetJobStatusResponse>);
        }

        public async Task<ListAsynJobsResponse> ListAsynJobsAsync(ListAsynJobsRequest request, CancellationToken cancellationToken = default)
        {
            Require(request, "-", "");
            var query = new RequestParameters().Add("JobIds", request.JobIds);
            var answer = await CallAsync("ListAsynJobs", false, Region(request.RegionId), query, new RequestParameters(), false, cancellationToken).ConfigureAwait(false);
            return Read(answer, NlbJson.Read<ListAsynJobsResponse>);
        }
    }
}
