using NlbTools.Client.Credentials;
using Xunit;

namespace NlbTools.Client.Tests.Credentials;

/// <summary>The External mode runs a real process: a small shell script (these tests need /bin/sh).</summary>
public class ExternalProcessTests
{
    private static string Script(TestHome home, string body)
    {
        var path = home.Write("bin/credential-helper", "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public async Task Cli_External_mode_reads_the_commands_json()
    {
        using var home = new TestHome();
        var script = Script(home, """echo '{"mode":"StsToken","access_key_id":"STS.external001","access_key_secret":"S3cr3t-VALUE-never-shown","sts_token":"tok","expiration":"2099-01-01T00:00:00Z"}'""");
        home.WriteCliConfig($$"""{ "profiles": [ { "name": "ext", "mode": "External", "process_command": "{{script}} --profile \"two words\"" } ] }""");
        var profile = home.Resolver.Profile("ext");
        var creds = await profile.Provider.GetCredentialsAsync(default);
        Assert.Equal("cli-profile:ext (External)", profile.Source);
        Assert.Equal("STS.external001", creds.AccessKeyId);
        Assert.Equal("tok", creds.RevealSecurityToken());
        Assert.Equal(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), creds.Expiration);
    }

    [Fact]
    public async Task A_failing_command_reports_its_exit_code_but_never_its_output()
    {
        using var home = new TestHome();
        var script = Script(home, "echo 'S3cr3t-VALUE-never-shown'; echo 'S3cr3t-VALUE-never-shown' >&2; exit 3");
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => new ExternalProcessCredentialsProvider(script, home.Env).GetCredentialsAsync(default));
        Assert.Contains("the external command credential-helper exited with code 3", e.Message);
        TestHome.AssertNoSecret(e.Message);

        var notJson = Script(home, "echo 'access_key_secret=S3cr3t-VALUE-never-shown'");
        var e2 = await Assert.ThrowsAsync<NlbCredentialsException>(() => new ExternalProcessCredentialsProvider(notJson, home.Env).GetCredentialsAsync(default));
        Assert.Contains("did not print a JSON object", e2.Message);
        TestHome.AssertNoSecret(e2.Message);
    }

    [Fact]
    public async Task A_command_that_hangs_is_stopped_at_the_timeout()
    {
        using var home = new TestHome();
        home.Env.ProcessTimeout = TimeSpan.FromMilliseconds(300);
        var script = Script(home, "exec sleep 30"); // exec: the stopped process is the sleeper itself, nothing lingers
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => new ExternalProcessCredentialsProvider(script, home.Env).GetCredentialsAsync(default));
        Assert.Contains("did not finish within 0.3 s and was stopped", e.Message);
    }

    [Fact]
    public void Process_command_is_split_on_white_space_with_double_quotes_grouping()
    {
        Assert.Equal(new[] { "/usr/bin/helper", "--profile", "two words", "" },
            ExternalProcessCredentialsProvider.SplitCommand("  /usr/bin/helper --profile \"two words\" \"\" "));
        Assert.Equal("\"two words\"", ExternalProcessCredentialsProvider.QuoteArgument("two words"));
        Assert.Equal("\"a\\\"b\"", ExternalProcessCredentialsProvider.QuoteArgument("a\"b"));
    }
}
