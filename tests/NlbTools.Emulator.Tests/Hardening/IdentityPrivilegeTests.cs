using System.Diagnostics;
using System.Net;
using Newtonsoft.Json.Linq;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Tests.Hardening;

/// <summary>
/// Issue 15 item 11: keys minted by AssumeRole keep the caller's DeniedActions; /_emulator/* needs the control
/// token when one is set, and a non-loopback --host cannot start without one.
/// </summary>
public sealed class IdentityPrivilegeTests : IAsyncLifetime
{
    private const string RoleArn = "acs:ram::1234567890123456:role/nlb-operator";
    private const string Tcp = "lsn-hzweb01@80";
    private TestEmulator _emu = null!;

    public async Task InitializeAsync() => _emu = await TestEmulator.StartAsync(jobDurationMs: 0);
    public async Task DisposeAsync() => await _emu.DisposeAsync();

    private async Task<Signer> AssumeRoleAs(Signer caller, string session)
    {
        var answer = await _emu.CallAsync("AssumeRole", new { RoleArn, RoleSessionName = session }, signer: caller, version: "2015-04-01");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Raw);
        var c = answer["Credentials"];
        return new Signer((string)c["AccessKeyId"]!, (string)c["AccessKeySecret"]!, (string)c["SecurityToken"]!);
    }

    [Fact]
    public async Task A_read_only_key_gets_a_read_only_STS_key_which_cannot_update_listeners()
    {
        var minted = await AssumeRoleAs(Signer.ReadOnly, "read-only-session");
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = Tcp }, signer: minted)).Status);

        var update = await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = Tcp, ListenerDescription = "escalated" }, signer: minted);
        Assert.Equal(HttpStatusCode.Forbidden, update.Status);
        Assert.Equal("Forbidden.NoPermission", update.Code);
        Assert.Equal("nlb:UpdateListenerAttribute", (string?)update["AccessDeniedDetail"]["AuthAction"]);

        // Chaining does not launder it either.
        var chained = await AssumeRoleAs(minted, "chained-session");
        Assert.Equal("Forbidden.NoPermission", (await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = Tcp, ListenerDescription = "escalated" }, signer: chained)).Code);

        var listener = await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = Tcp });
        Assert.NotEqual("escalated", (string?)listener.Body!["ListenerDescription"]);
        var readOnlyDenied = _emu.Runtime.State.FindAccessKey(DemoState.ReadOnlyAccessKeyId)!.DeniedActions!;
        Assert.Equal(readOnlyDenied, _emu.Runtime.State.FindAccessKey(chained.KeyId)!.DeniedActions);
    }

    [Fact]
    public async Task A_key_without_denials_mints_a_key_that_may_write()
    {
        var minted = await AssumeRoleAs(Signer.Demo, "full-session");
        Assert.Null(_emu.Runtime.State.FindAccessKey(minted.KeyId)!.DeniedActions);
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = Tcp, ListenerDescription = "allowed" }, signer: minted)).Status);
    }
}

/// <summary>Issue 15 item 11: the control token (in process, on 127.0.0.1) and the non-loopback start rules (the real process).</summary>
public sealed class ControlTokenTests
{
    private const string Token = "ctl-9f3b2c7d1e8a4f60";

    [Fact]
    public async Task With_a_control_token_every_control_route_needs_it_in_one_X_Emulator_Token_header_and_the_API_does_not()
    {
        var options = new EmulatorOptions { Port = 0, Host = "127.0.0.1", JobDurationMs = 0, ControlToken = Token };
        await using var host = await EmulatorHost.StartAsync(options, DemoState.Create);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(host.Endpoint) };

        foreach (var sent in new[] { null, "wrong-token-000000000", Token + "x", Token.ToUpperInvariant() })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/_emulator/state");
            if (sent != null) request.Headers.Add(EmulatorOptions.ControlTokenHeader, sent);
            var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("InvalidControlToken", (string?)JObject.Parse(body)["Code"]);
            Assert.DoesNotContain(Token, body);
        }
        using (var twice = new HttpRequestMessage(HttpMethod.Post, "/_emulator/reset") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") })
        {
            twice.Headers.TryAddWithoutValidation(EmulatorOptions.ControlTokenHeader, new[] { Token, Token });
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(twice)).StatusCode);
        }

        using var good = new HttpRequestMessage(HttpMethod.Get, "/_emulator/state");
        good.Headers.Add(EmulatorOptions.ControlTokenHeader, Token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(good)).StatusCode);

        // The API and the metadata routes are not control routes: they answer without the token.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/latest/meta-data/ram/security-credentials/")).StatusCode);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunEmulatorAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "NlbTools.Emulator.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        return (process.ExitCode, await stdout, await stderr);
    }

    // 192.0.2.1 is TEST-NET-1: never assigned to this machine, so nothing is ever bound beyond loopback.
    [Fact]
    public async Task A_non_loopback_host_without_a_control_token_does_not_start()
    {
        var (exit, stdout, stderr) = await RunEmulatorAsync("--host", "192.0.2.1", "--port", "0");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--control-token is required", stderr);
    }

    [Fact]
    public async Task A_non_loopback_host_with_a_control_token_warns_on_stderr_without_showing_the_token()
    {
        var (exit, stdout, stderr) = await RunEmulatorAsync("--host", "192.0.2.1", "--port", "0", "--control-token", Token);
        Assert.Contains("warning: --host 192.0.2.1 is not a loopback address", stderr);
        Assert.Contains("X-Emulator-Token", stderr);
        Assert.Contains("test conveniences", stderr);
        Assert.DoesNotContain(Token, stderr + stdout);
        Assert.Equal(3, exit); // and the address cannot be bound here: it is not this machine's
    }

    [Fact]
    public async Task A_control_token_file_keeps_the_token_out_of_the_arguments_and_is_checked_the_same_way()
    {
        var file = Path.Combine(Path.GetTempPath(), $"nlbemu-token-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllTextAsync(file, Token + "\n");
            var (exit, stdout, stderr) = await RunEmulatorAsync("--host", "192.0.2.1", "--port", "0", "--control-token-file", file);
            Assert.DoesNotContain("--control-token is required", stderr); // the file's token counts
            Assert.Contains("X-Emulator-Token", stderr);
            Assert.DoesNotContain(Token, stderr + stdout);
            Assert.Equal(3, exit);

            await File.WriteAllTextAsync(file, "short\n");
            (exit, _, stderr) = await RunEmulatorAsync("--control-token-file", file);
            Assert.Equal(2, exit);
            Assert.Contains("--control-token must be 16 to 256 printable ASCII characters", stderr);

            (exit, _, stderr) = await RunEmulatorAsync("--control-token-file", file + ".missing");
            Assert.Equal(2, exit);
            Assert.Contains("does not exist", stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("tooShort123")]
    [InlineData("has a space in it 0123")]
    public async Task A_control_token_must_be_16_to_256_printable_characters(string token)
    {
        var (exit, _, stderr) = await RunEmulatorAsync("--control-token", token);
        Assert.Equal(2, exit);
        Assert.Contains("--control-token must be 16 to 256 printable ASCII characters", stderr);
        Assert.DoesNotContain(token, stderr);
    }
}
