using System.Net.Http;
using Newtonsoft.Json.Linq;
using NlbTools.Client;
using NlbTools.Client.Credentials;
using NlbTools.Client.Models;
using NlbTools.Emulator;
using NlbTools.Emulator.State;
using Xunit;

namespace NlbTools.Emulator.Tests.Identity;

/// <summary>One clock for the emulator (expiry, timestamps) and the client (signing, refresh), moved by the test.</summary>
internal sealed class SharedClock : TimeProvider, ISystemClock
{
    private long _ticks = DateTimeOffset.UtcNow.UtcTicks;
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
    public DateTimeOffset UtcNow => GetUtcNow();
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    public Task Delay(TimeSpan delay, CancellationToken cancellationToken) { Advance(delay); return Task.CompletedTask; }
}

/// <summary>
/// Each credentials provider end to end over real loopback HTTP: provider -> the emulator's STS or metadata
/// service -> temporary credentials -> a V3-signed NLB request (with x-acs-security-token) the emulator accepts.
/// </summary>
public sealed class IdentityEndToEndTests : IAsyncLifetime
{
    private const string RoleArn = "acs:ram::1234567890123456:role/nlb-operator";
    private readonly SharedClock _clock = new();
    private readonly string _home = Path.Combine(Path.GetTempPath(), "nlbtools-identity-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> _variables = new() { ["ALIBABA_CLOUD_ECS_METADATA_DISABLED"] = "true" };
    private EmulatorHost _emulator = null!;
    private CredentialsEnvironment _env = null!;
    private static readonly HttpClient Http = new();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_home);
        _emulator = await EmulatorHost.StartAsync(new EmulatorOptions { Port = 0, JobDurationMs = 0 }, DemoState.Create, _clock);
        _env = new CredentialsEnvironment
        {
            HomeDirectory = _home,
            GetVariable = name => _variables.TryGetValue(name, out var v) ? v : null,
            StsEndpoint = new Uri(_emulator.Endpoint + "/"),
            MetadataEndpoint = new Uri(_emulator.Endpoint + "/"),
            Clock = _clock,
        };
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        try { Directory.Delete(_home, recursive: true); } catch (IOException) { }
    }

    private ICredentialsProvider DemoKeys => new StaticCredentialsProvider(DemoState.AccessKeyId, DemoState.AccessKeySecret);

    /// <summary>An NLB call through the provider; returns the AccessKeyId the emulator saw and its answer.</summary>
    private async Task<JObject> ListListenersThrough(ICredentialsProvider provider)
    {
        using var client = new NlbClient(new NlbClientOptions
        {
            Endpoint = new Uri(_emulator.Endpoint), RegionId = DemoState.Hangzhou, Credentials = provider, Clock = _clock, MaxAttempts = 1,
        });
        var page = await client.ListListenersAsync(new ListListenersRequest { RegionId = DemoState.Hangzhou });
        Assert.NotEmpty(page.Listeners);
        return LastRequest("ListListeners");
    }

    private JObject LastRequest(string action)
    {
        var log = JArray.Parse(Http.GetStringAsync(_emulator.Endpoint + "/_emulator/requests?action=" + action).GetAwaiter().GetResult());
        return (JObject)log.Last!;
    }

    private static void AssertAcceptedWithTemporaryKey(JObject request, string accessKeyId)
    {
        Assert.Equal(200, (int)request["HttpStatus"]!);
        Assert.Equal(accessKeyId, (string?)request["AccessKeyId"]);
        Assert.StartsWith("STS.", accessKeyId);
        Assert.Equal("V3", (string?)request["SignatureVersion"]);
    }

    [Fact]
    public async Task RamRoleArn_assumes_the_role_at_the_emulator_and_the_nlb_call_is_accepted()
    {
        var provider = new RamRoleArnCredentialsProvider(DemoKeys, new StsRoleOptions { RoleArn = RoleArn, RoleSessionName = "e2e", Policy = """{"Version":"1","Statement":[]}""", ExternalId = "ext-42" }, _env);
        var creds = await provider.GetCredentialsAsync(default);
        AssertAcceptedWithTemporaryKey(await ListListenersThrough(provider), creds.AccessKeyId);

        var sts = LastRequest("AssumeRole");
        Assert.Equal((DemoState.AccessKeyId, "V2", 200), ((string?)sts["AccessKeyId"], (string?)sts["SignatureVersion"], (int)sts["HttpStatus"]!));
        Assert.Equal(_clock.UtcNow.AddSeconds(3600).ToUnixTimeSeconds(), creds.Expiration!.Value.ToUnixTimeSeconds(), 1.0);
    }

    [Fact]
    public async Task AssumeRole_with_a_wrong_secret_is_refused_by_the_emulators_V2_check_without_showing_secrets()
    {
        var provider = new RamRoleArnCredentialsProvider(new StaticCredentialsProvider(DemoState.AccessKeyId, "not-the-secret-value"), new StsRoleOptions { RoleArn = RoleArn }, _env);
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => provider.GetCredentialsAsync(default));
        Assert.Contains("SignatureDoesNotMatch", e.Message);
        Assert.DoesNotContain("not-the-secret-value", e.Message);
        Assert.DoesNotContain("AccessKeyId%3D", e.Message); // the server's string-to-sign is cut
    }

    [Fact]
    public async Task ChainableRamRoleArn_from_a_cli_profile_chains_two_AssumeRole_calls()
    {
        WriteCliConfig($$"""
            { "current": "ops", "profiles": [
              { "name": "base", "mode": "AK", "access_key_id": "{{DemoState.AccessKeyId}}", "access_key_secret": "{{DemoState.AccessKeySecret}}" },
              { "name": "first", "mode": "RamRoleArn", "access_key_id": "{{DemoState.AccessKeyId}}", "access_key_secret": "{{DemoState.AccessKeySecret}}", "ram_role_arn": "{{RoleArn}}", "ram_session_name": "first" },
              { "name": "ops", "mode": "ChainableRamRoleArn", "source_profile": "first", "ram_role_arn": "acs:ram::1234567890123456:role/second", "ram_session_name": "second" } ] }
            """);
        var chain = new CredentialsResolver(_env).DefaultChain();
        var creds = await chain.GetCredentialsAsync(default);
        Assert.Equal("cli-profile:ops (ChainableRamRoleArn)", chain.Source);
        AssertAcceptedWithTemporaryKey(await ListListenersThrough(chain), creds.AccessKeyId);

        var second = LastRequest("AssumeRole");
        Assert.StartsWith("STS.", (string?)second["AccessKeyId"]); // the second hop is signed with the first hop's keys
        Assert.Equal(200, (int)second["HttpStatus"]!);
    }

    [Fact]
    public async Task Oidc_from_the_environment_uses_unsigned_AssumeRoleWithOIDC()
    {
        var tokenFile = Path.Combine(_home, "oidc-token");
        File.WriteAllText(tokenFile, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl");
        _variables["ALIBABA_CLOUD_ROLE_ARN"] = RoleArn;
        _variables["ALIBABA_CLOUD_OIDC_PROVIDER_ARN"] = "acs:ram::1234567890123456:oidc-provider/ack-rrsa";
        _variables["ALIBABA_CLOUD_OIDC_TOKEN_FILE"] = tokenFile;
        var chain = new CredentialsResolver(_env).DefaultChain();
        var creds = await chain.GetCredentialsAsync(default);
        Assert.Equal("oidc:" + RoleArn, chain.Source);
        AssertAcceptedWithTemporaryKey(await ListListenersThrough(chain), creds.AccessKeyId);
        var sts = LastRequest("AssumeRoleWithOIDC");
        Assert.Equal(200, (int)sts["HttpStatus"]!);
        // Unsigned: anyone may send it, so the request log keeps none of its parameter values (the token least of all).
        Assert.Empty((JObject)sts["Parameters"]!);
        Assert.True((bool)sts["ParametersOmitted"]!);
    }

    [Fact]
    public async Task EcsRamRole_discovers_the_role_through_the_emulators_metadata_service()
    {
        _variables.Remove("ALIBABA_CLOUD_ECS_METADATA_DISABLED");
        var chain = new CredentialsResolver(_env).DefaultChain();
        var creds = await chain.GetCredentialsAsync(default);
        Assert.Equal("ecs-ram-role:" + _emulator.Runtime.Options.EcsRoleName, chain.Source);
        AssertAcceptedWithTemporaryKey(await ListListenersThrough(chain), creds.AccessKeyId);
    }

    [Fact]
    public async Task Metadata_service_refuses_a_bad_token_and_IMDSv1_disabled_needs_the_token()
    {
        using var badToken = new HttpRequestMessage(HttpMethod.Get, _emulator.Endpoint + "/latest/meta-data/ram/security-credentials/");
        badToken.Headers.Add("X-aliyun-ecs-metadata-token", "forged");
        Assert.Equal(401, (int)(await Http.SendAsync(badToken)).StatusCode);

        _variables.Remove("ALIBABA_CLOUD_ECS_METADATA_DISABLED");
        _variables["ALIBABA_CLOUD_IMDSV1_DISABLED"] = "true";
        var creds = await new EcsRamRoleCredentialsProvider(null, _env).GetCredentialsAsync(default); // the emulator gives tokens
        Assert.StartsWith("STS.", creds.AccessKeyId);
    }

    [Fact]
    public async Task Credentials_uri_reads_the_same_json_and_is_accepted()
    {
        _variables["ALIBABA_CLOUD_CREDENTIALS_URI"] = $"{_emulator.Endpoint}/latest/meta-data/ram/security-credentials/{_emulator.Runtime.Options.EcsRoleName}";
        var chain = new CredentialsResolver(_env).DefaultChain();
        var creds = await chain.GetCredentialsAsync(default);
        Assert.StartsWith("credentials-uri:http://127.0.0.1:", chain.Source);
        AssertAcceptedWithTemporaryKey(await ListListenersThrough(chain), creds.AccessKeyId);
    }

    [Fact]
    public async Task Temporary_keys_need_their_token_and_stop_working_at_expiry()
    {
        var assumed = await new RamRoleArnCredentialsProvider(DemoKeys, new StsRoleOptions { RoleArn = RoleArn, DurationSeconds = 900 }, _env).GetCredentialsAsync(default);
        var withoutToken = new StaticCredentialsProvider(assumed.AccessKeyId, assumed.RevealSecret());
        var e = await Assert.ThrowsAsync<NlbException>(() => ListListenersThrough(withoutToken));
        Assert.Equal("InvalidSecurityToken.MismatchWithAccessKey", e.Code);

        var pinned = new StaticCredentialsProvider(assumed.AccessKeyId, assumed.RevealSecret(), assumed.RevealSecurityToken());
        await ListListenersThrough(pinned);
        _clock.Advance(TimeSpan.FromSeconds(901));
        var expired = await Assert.ThrowsAsync<NlbException>(() => ListListenersThrough(pinned));
        Assert.Equal("InvalidSecurityToken.Expired", expired.Code);
    }

    [Fact]
    public async Task A_long_run_crosses_several_expiries_and_no_request_fails()
    {
        // 900 s credentials; a request every 100 s for two simulated hours: the provider must renew them
        // (180 s ahead) at least 7 times, and the emulator rejects any request signed with expired ones.
        var provider = new RamRoleArnCredentialsProvider(DemoKeys, new StsRoleOptions { RoleArn = RoleArn, DurationSeconds = 900 }, _env);
        using var client = new NlbClient(new NlbClientOptions
        {
            Endpoint = new Uri(_emulator.Endpoint), RegionId = DemoState.Hangzhou, Credentials = provider, Clock = _clock, MaxAttempts = 1,
        });
        var keys = new HashSet<string>();
        for (var i = 0; i < 72; i++)
        {
            await client.ListListenersAsync(new ListListenersRequest { RegionId = DemoState.Hangzhou });
            keys.Add((await provider.GetCredentialsAsync(default)).AccessKeyId);
            _clock.Advance(TimeSpan.FromSeconds(100));
        }
        var log = JArray.Parse(await Http.GetStringAsync(_emulator.Endpoint + "/_emulator/requests?action=ListListeners"));
        Assert.Equal(72, log.Count);
        Assert.All(log, r => Assert.Equal(200, (int)r["HttpStatus"]!));
        Assert.InRange(keys.Count, 8, 12);
    }

    [Fact]
    public async Task Credentials_ttl_option_shortens_every_issued_credential_for_refresh_tests()
    {
        var options = EmulatorOptions.Parse(new[] { "--port", "0", "--credentials-ttl-seconds", "200", "--ecs-role", "short-lived" });
        await using var shortLived = await EmulatorHost.StartAsync(options, DemoState.Create, _clock);
        _env.StsEndpoint = _env.MetadataEndpoint = new Uri(shortLived.Endpoint + "/");
        _variables.Remove("ALIBABA_CLOUD_ECS_METADATA_DISABLED");

        var assumed = await new RamRoleArnCredentialsProvider(DemoKeys, new StsRoleOptions { RoleArn = RoleArn, DurationSeconds = 3600 }, _env).GetCredentialsAsync(default);
        Assert.Equal(_clock.UtcNow.AddSeconds(200).ToUnixTimeSeconds(), assumed.Expiration!.Value.ToUnixTimeSeconds(), 1.0);
        var ecs = new EcsRamRoleCredentialsProvider(null, _env);
        var fromMetadata = await ecs.GetCredentialsAsync(default);
        Assert.Equal("ecs-ram-role:short-lived", ecs.Source);
        Assert.Equal(_clock.UtcNow.AddSeconds(200).ToUnixTimeSeconds(), fromMetadata.Expiration!.Value.ToUnixTimeSeconds(), 1.0);

        // 200 s credentials are renewed after 20 s (180 s ahead).
        _clock.Advance(TimeSpan.FromSeconds(21));
        Assert.NotEqual(fromMetadata.AccessKeyId, (await ecs.GetCredentialsAsync(default)).AccessKeyId);
    }

    private void WriteCliConfig(string json)
    {
        Directory.CreateDirectory(Path.Combine(_home, ".aliyun"));
        File.WriteAllText(Path.Combine(_home, ".aliyun", "config.json"), json);
    }
}
