using System.Globalization;
using NlbTools.Emulator.Api;

namespace NlbTools.Emulator.Nlb;

internal static class JobActions
{
    public static object GetJobStatus(ActionContext c)
    {
        var jobId = c.Parameters.Required("JobId");
        lock (c.State.Gate)
        {
            var job = c.Runtime.Jobs.Find(jobId) ?? throw ApiError.ResourceNotFound("JobId", jobId);
            return new { Status = job.Status };
        }
    }

    /// <summary>JobIds.N selects jobs (unknown ids are left out); without JobIds every job is listed.</summary>
    public static object ListAsynJobs(ActionContext c)
    {
        var ids = c.Parameters.List("JobIds");
        lock (c.State.Gate)
        {
            var jobs = ids == null
                ? c.Runtime.Jobs.All.ToList()
                : ids.Select(c.Runtime.Jobs.Find).Where(j => j != null).Select(j => j!).ToList();
            return new
            {
                Jobs = jobs.Select(j => new { Id = j.JobId, Status = j.Status }).ToList(),
                TotalCount = jobs.Count.ToString(CultureInfo.InvariantCulture),
            };
        }
    }
}
