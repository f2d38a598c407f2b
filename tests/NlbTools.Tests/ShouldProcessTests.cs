using NlbTools.Client.Pipeline;

namespace NlbTools.Tests;

/// <summary>-Confirm asks once per listener, after the target (and its protocol) is known.</summary>
[Collection(ClientSeamCollection.Name)]
public sealed class ShouldProcessTests
{
    private static Task<NlbHttpResponse> Answer(RecordedRequest r, CancellationToken ct) => Task.FromResult(InProcessShell.Action(r) switch
    {
        "GetListenerAttribute" => InProcessShell.Ok(new { RequestId = "REQ-R", ListenerId = r.Parameter("ListenerId"), ListenerProtocol = "UDP", IdleTimeout = 20, RegionId = "cn-hangzhou" }),
        _ => InProcessShell.Ok(new { RequestId = "REQ-U", JobId = "job-" + r.Parameter("ListenerId") }),
    });

    [Fact]
    public void Confirm_asks_once_per_listener_and_a_No_skips_only_that_one()
    {
        var host = new ScriptedHost((caption, message) => message.Contains("lsn-2") ? 2 /* No */ : 0 /* Yes */);
        using var shell = new InProcessShell(Answer, host);

        var jobs = shell.Run("'lsn-1', 'lsn-2', 'lsn-3' | Set-NlbListenerAttribute -IdleTimeout 15 -Confirm");

        Assert.Equal(3, host.Prompts.Count);
        // Asked after the target is resolved: the prompt names the listener and the protocol that was read.
        Assert.All(host.Prompts, p => Assert.Contains("(UDP)", p.Message));
        Assert.Contains("lsn-1", host.Prompts[0].Message);
        // The prompt shows the change as the diff found it: before -> after.
        Assert.Contains("IdleTimeout 20 \u2192 15", host.Prompts[0].Message);
        Assert.Equal(new[] { "job-lsn-1", "job-lsn-3" }, jobs.Select(j => ((NlbJob)j.BaseObject).JobId));
        Assert.Equal(2, shell.Count("UpdateListenerAttribute"));
    }

    [Fact]
    public void Nothing_is_asked_for_a_listener_that_fails_validation()
    {
        var host = new ScriptedHost((_, _) => 0);
        using var shell = new InProcessShell(Answer, host);

        shell.Run("'lsn-1' | Set-NlbListenerAttribute -IdleTimeout 300 -Confirm -ErrorAction SilentlyContinue");

        Assert.Empty(host.Prompts);
        Assert.Equal(0, shell.Count("UpdateListenerAttribute"));
    }
}
