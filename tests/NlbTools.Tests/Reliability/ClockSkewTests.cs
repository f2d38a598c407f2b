using Xunit;
using System.Management.Automation;
using NlbTools.Base;
using NlbTools.Client;
using NlbTools.Client.Credentials;
using NlbTools.Client.Models;
using NlbTools.Emulator.State;
using NlbTools.Session;

namespace NlbTools.Tests.Reliability;

/// <summary>
/// Issue 8 §6: with this computer's clock 20 minutes off (a skewed ISystemClock, not the machine's clock), the
/// service's InvalidTimeStamp.Expired reaches the user as an error that says to check the clock.
/// </summary>
// Clients are process-wide: never beside the tests that swap every client's transport (ConfigureClient).
[Collection(ClientSeamCollection.Name)]
public sealed class ClockSkewTests
{
    private sealed class SkewedClock : ISystemClock
    {
        private readonly TimeSpan _skew;
        public SkewedClock(TimeSpan skew) => _skew = skew;
        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow + _skew;
        public Task Delay(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, cancellationToken);
    }

    [Theory]
    [InlineData(-20)]
    [InlineData(20)]
    public async Task A_clock_20_minutes_off_gives_InvalidTimeStamp_Expired_telling_to_check_the_clock(int minutes)
    {
        await using var emu = await LiveEmulator.StartAsync();
        using var client = new NlbClient(new NlbClientOptions
        {
            Endpoint = new Uri(emu.Endpoint),
            RegionId = "cn-hangzhou",
            Credentials = new StaticCredentialsProvider(DemoState.AccessKeyId, DemoState.AccessKeySecret, null, "test"),
            Clock = new SkewedClock(TimeSpan.FromMinutes(minutes)),
        });

        var error = await Assert.ThrowsAsync<NlbException>(() => client.GetListenerAttributeAsync(new GetListenerAttributeRequest { ListenerId = "lsn-hzweb01@80" }));
        Assert.Equal("InvalidTimeStamp.Expired", error.Code);
        Assert.Contains("clock", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("the service's time is", error.Message);
        Assert.Single(await emu.RequestsAsync()); // not retried: another attempt would be just as wrong

        // What the cmdlets show: ErrorId = the code, the hint in the message.
        var record = ErrorRecords.From(error, "lsn-hzweb01@80");
        Assert.Equal("InvalidTimeStamp.Expired", record.FullyQualifiedErrorId);
        Assert.Contains("Check this computer's clock", record.ErrorDetails.Message);
        Assert.Equal(ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
    }

    [Fact]
    public async Task A_cmdlet_run_with_a_skewed_clock_shows_InvalidTimeStamp_Expired_and_the_clock_hint()
    {
        await using var emu = await LiveEmulator.StartAsync();
        NlbSession.ConfigureClient = options => options.Clock = new SkewedClock(TimeSpan.FromMinutes(-20));
        try
        {
            // Connect-Nlb's one check call is the first signed request, so the skew shows there.
            using var ps = emu.Create("Connect-Nlb -AccessKeyId " + DemoState.AccessKeyId + " -AccessKeySecret (ConvertTo-SecureString '" + DemoState.AccessKeySecret +
                                      "' -AsPlainText -Force) -RegionId cn-hangzhou -Endpoint " + emu.Endpoint);
            ps.Invoke();
            var error = Assert.Single(ps.Streams.Error);
            Assert.Equal("InvalidTimeStamp.Expired,NlbTools.Commands.ConnectNlbCommand", error.FullyQualifiedErrorId);
            Assert.Contains("Check this computer's clock", error.ToString());
        }
        finally
        {
            NlbSession.ConfigureClient = null;
        }
    }
}
