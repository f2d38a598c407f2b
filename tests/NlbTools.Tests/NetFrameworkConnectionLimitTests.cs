using System.Management.Automation;
using System.Reflection;
using NlbTools.Commands;

namespace NlbTools.Tests;

/// <summary>The .NET Framework per-endpoint connection limit keeps up with the cmdlet's largest -ThrottleLimit.</summary>
public sealed class NetFrameworkConnectionLimitTests
{
    [Fact]
    public void The_endpoint_connection_limit_leaves_room_for_the_largest_throttle_limit_plus_job_polls()
    {
        var range = typeof(SetNlbListenerAttributeCommand).GetProperty(nameof(SetNlbListenerAttributeCommand.ThrottleLimit))!
            .GetCustomAttribute<ValidateRangeAttribute>()!;
        var largestThrottleLimit = Convert.ToInt32(range.MaxRange);
        // Read by reflection: the settings class is internal to NlbTools.Client.
        var settings = typeof(NlbTools.Client.NlbClient).Assembly.GetType("NlbTools.Client.Pipeline.NetFrameworkNetworkSettings", throwOnError: true)!;
        var limit = (int)settings.GetField("EndpointConnectionLimit")!.GetRawConstantValue()!;
        // Updates in flight plus the job poller's parallel polls (-Wait runs both at once) must not queue on the limit.
        Assert.True(limit >= largestThrottleLimit + 8, $"EndpointConnectionLimit {limit} < -ThrottleLimit max {largestThrottleLimit} + 8 polls");
    }
}
