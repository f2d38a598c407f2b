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

    private const string Json = """{"mode":"StsToken","access_key_id":"STS.external001","access_key_secret":"S3cr3t-VALUE-never-shown","sts_token":"tok","expiration":"2099-01-01T00:00:00Z"}""";

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].TrimStart().StartsWith('Z');

    private static int ReadPid(string path)
    {
        for (var i = 0; i < 200 && !(File.Exists(path) && File.ReadAllText(path).Trim().Length > 0); i++) Thread.Sleep(50);
        return int.Parse(File.ReadAllText(path).Trim());
    }

    private static void KillIfAlive(int pid)
    {
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); p.Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
    }

    /// <summary>Issue 15 item 7: the helper exits, but a background child still holds its stdout.</summary>
    [Fact]
    public async Task A_helper_that_leaves_a_background_child_holding_stdout_does_not_make_the_caller_wait_for_it()
    {
        if (OperatingSystem.IsWindows()) return; // /bin/sh
        using var home = new TestHome();
        var pidFile = Path.Combine(home.Root, "child.pid");
        var script = Script(home, $"echo '{Json}'\nsleep 300 &\necho $! > '{pidFile}'\nexit 0");
        var provider = new ExternalProcessCredentialsProvider(script, home.Env); // the default 60 s timeout
        var child = 0;
        try
        {
            var fetch = provider.GetCredentialsAsync(default);
            child = ReadPid(pidFile);
            // Before the fix the fetch waited for the child (300 s, far past the 60 s timeout); 30 s is a generous bound.
            var creds = await fetch.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("STS.external001", creds.AccessKeyId);
            Assert.True(IsAlive(child), "the test's premise: the child still holds the pipe");
        }
        finally
        {
            if (child > 0) KillIfAlive(child);
        }
    }

    [Fact]
    public async Task On_timeout_the_whole_process_tree_is_killed_and_waiters_are_released()
    {
        if (OperatingSystem.IsWindows()) return;
        using var home = new TestHome();
        home.Env.ProcessTimeout = TimeSpan.FromSeconds(1);
        var pidFile = Path.Combine(home.Root, "child.pid");
        var runs = Path.Combine(home.Root, "runs");
        // No exec: the shell stays the parent of a sleeper that would outlive it if only the shell were killed.
        var script = Script(home, $"echo run >> '{runs}'\nsleep 300 &\necho $! > '{pidFile}'\nwait");
        var provider = new ExternalProcessCredentialsProvider(script, home.Env);

        var callers = Enumerable.Range(0, 4).Select(_ => provider.GetCredentialsAsync(default)).ToArray();
        var child = ReadPid(pidFile);
        try
        {
            foreach (var caller in callers)
            {
                var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => caller.WaitAsync(TimeSpan.FromSeconds(30)));
                Assert.Contains("did not finish within 1 s and was stopped", e.Message);
            }
            for (var i = 0; i < 100 && IsAlive(child); i++) await Task.Delay(50);
            Assert.False(IsAlive(child), "the helper's child survived the timeout");
            Assert.Single(File.ReadAllLines(runs)); // the four callers shared one fetch

            // A later call is not stuck behind the failed fetch: it starts a new one.
            File.Delete(pidFile);
            var again = provider.GetCredentialsAsync(default);
            var secondChild = ReadPid(pidFile);
            await Assert.ThrowsAsync<NlbCredentialsException>(() => again.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(2, File.ReadAllLines(runs).Length);
            for (var i = 0; i < 100 && IsAlive(secondChild); i++) await Task.Delay(50);
            Assert.False(IsAlive(secondChild));
        }
        finally
        {
            KillIfAlive(child);
        }
    }

    [Fact]
    public async Task Credentials_with_a_control_character_from_the_command_are_refused()
    {
        if (OperatingSystem.IsWindows()) return;
        using var home = new TestHome();
        var script = Script(home, """echo '{"mode":"StsToken","access_key_id":"STS.external001","access_key_secret":"S3cr3t-VALUE-never-shown","sts_token":"tok\r\nX-Injected: yes"}'""");
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => new ExternalProcessCredentialsProvider(script, home.Env, "external-test").GetCredentialsAsync(default));
        Assert.Equal(CredentialValues.InvalidValueErrorId, e.ErrorId);
        Assert.Contains("The SecurityToken from 'external-test' contains a control character", e.Message);
        TestHome.AssertNoSecret(e.Message);
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
