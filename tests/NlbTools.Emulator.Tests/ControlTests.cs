using System.Net;
using System.Text;
using Newtonsoft.Json.Linq;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Tests;

/// <summary>Control endpoints, the request log's redaction, the body limit and malformed input.</summary>
public class ControlTests : IAsyncLifetime
{
    private TestEmulator _emu = null!;
    public async Task InitializeAsync() => _emu = await TestEmulator.StartAsync(jobDurationMs: 0);
    public async Task DisposeAsync() => await _emu.DisposeAsync();

    [Fact]
    public async Task The_request_log_records_each_call_without_secret_token_or_signature()
    {
        await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = "lsn-hzweb01@80", IdleTimeout = 61, ClientToken = "ct-1", DryRun = true }, signer: Signer.Sts with { V2 = true });
        await _emu.CallAsync("ListListeners", signer: Signer.Sts);
        var log = (JArray)await _emu.ControlAsync("requests");
        Assert.Equal(2, log.Count);
        var update = log[0];
        Assert.Equal("UpdateListenerAttribute", (string?)update["Action"]);
        Assert.Equal(DemoState.StsAccessKeyId, (string?)update["AccessKeyId"]);
        Assert.Equal(400, (int)update["HttpStatus"]!);
        Assert.Equal("DryRunOperation", (string?)update["Code"]);
        Assert.Equal("ct-1", (string?)update["ClientToken"]);
        Assert.True((bool)update["DryRun"]!);
        Assert.Equal("61", (string?)update["Parameters"]!["IdleTimeout"]);
        Assert.NotNull(update["Time"]);
        Assert.Equal(200, (int)log[1]["HttpStatus"]!);

        var text = log.ToString();
        Assert.DoesNotContain(DemoState.StsAccessKeySecret, text);
        Assert.DoesNotContain(DemoState.StsSecurityToken, text);
        Assert.DoesNotContain("\"Signature\"", text);
    }

    [Fact]
    public async Task The_request_log_can_be_filtered_by_action()
    {
        await _emu.CallAsync("DescribeRegions");
        await _emu.CallAsync("ListListeners");
        var filtered = await _emu.Http.GetStringAsync("/_emulator/requests?action=ListListeners");
        Assert.Single(JArray.Parse(filtered));
    }

    [Fact]
    public async Task The_jobs_view_shows_id_action_resource_token_status_and_parameters()
    {
        var jobId = (string)(await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = "lsn-hzweb01@80", Cps = 9 }))["JobId"]!;
        var job = (await _emu.ControlAsync("jobs")).Single();
        Assert.Equal(jobId, (string?)job["JobId"]);
        Assert.Equal("UpdateListenerAttribute", (string?)job["Action"]);
        Assert.Equal("lsn-hzweb01@80", (string?)job["ResourceId"]);
        Assert.Equal("Succeeded", (string?)job["Status"]);
        Assert.Equal("9", (string?)job["Parameters"]!["Cps"]);
        Assert.NotNull(job["ClientToken"]);
    }

    [Fact]
    public async Task The_state_view_uses_the_state_file_schema_and_masks_secrets_unless_asked()
    {
        await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = "lsn-hzweb01@80", ListenerDescription = "changed" });
        var state = await _emu.ControlAsync("state");
        Assert.Equal("changed", (string?)state["Listeners"]!.Single(l => (string?)l["ListenerId"] == "lsn-hzweb01@80")["ListenerDescription"]);
        Assert.All(state["AccessKeys"]!, k => Assert.Equal("****", (string?)k["AccessKeySecret"]));
        Assert.DoesNotContain(DemoState.AccessKeySecret, state.ToString());

        // With ?secrets=true it is a complete state file: it loads back.
        var full = await _emu.Http.GetStringAsync("/_emulator/state?secrets=true");
        var reloaded = StateLoader.Parse(full);
        Assert.Equal(DemoState.AccessKeySecret, reloaded.AccessKeys[0].AccessKeySecret);
        Assert.Equal(13, reloaded.Listeners.Count);
    }

    [Fact]
    public async Task Reset_goes_back_to_the_seed_state()
    {
        await _emu.CallAsync("UpdateListenerAttribute", new { ListenerId = "lsn-hzweb01@80", ListenerDescription = "changed" });
        var answer = await _emu.ControlAsync("reset", new { });
        Assert.Equal("Reset", (string?)answer["Status"]);
        var l = (await _emu.CallAsync("GetListenerAttribute", query: new { ListenerId = "lsn-hzweb01@80" })).Body!;
        Assert.Equal("web-http", (string?)l["ListenerDescription"]);
        Assert.Empty(await _emu.ControlAsync("jobs"));
    }

    [Fact]
    public async Task An_unknown_control_path_is_a_JSON_404()
    {
        var response = await _emu.Http.GetAsync("/_emulator/nothing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("InvalidAction.NotFound", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_413_with_a_code()
    {
        var big = "ListenerDescription=" + new string('a', 1024 * 1024 + 10);
        var response = await _emu.Http.PostAsync("/", new StringContent(big, Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = JObject.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("RequestEntityTooLarge", (string?)body["Code"]);
        Assert.NotNull(body["RequestId"]);
    }

    [Fact]
    public async Task A_chunked_body_over_1_MiB_is_413_too()
    {
        var content = new StreamContent(new MemoryStream(new byte[2 * 1024 * 1024]));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await _emu.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("%%%=%ZZ&&==&Action=%E0%A4%A", "application/x-www-form-urlencoded")]
    [InlineData("\u0000\u0001binary", "application/octet-stream")]
    [InlineData("{\"Action\":\"ListListeners\"}", "application/json")]
    public async Task Malformed_input_is_a_400_with_a_code_never_a_500(string body, string contentType)
    {
        var response = await _emu.Http.PostAsync("/?x=%ZZ&=&&", new StringContent(body, Encoding.UTF8, contentType));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = JObject.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty((string?)json["Code"]));
        Assert.DoesNotContain("   at ", json.ToString());
    }

    [Fact]
    public async Task The_emulator_listens_on_loopback_by_default()
    {
        Assert.StartsWith("http://127.0.0.1:", _emu.Endpoint);
        Assert.Equal("127.0.0.1", new EmulatorOptions().Host);
        Assert.Equal(0, new EmulatorOptions().Port);
    }
}
