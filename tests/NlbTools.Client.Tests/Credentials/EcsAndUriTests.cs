using System.Text;
using NlbTools.Client.Credentials;
using NlbTools.Client.Pipeline;
using Xunit;

namespace NlbTools.Client.Tests.Credentials;

public class EcsAndUriTests
{
    private static readonly Uri Metadata = new("http://127.0.0.1:1/");

    /// <summary>A metadata service: IMDSv2 token, role list, role credentials.</summary>
    private static FakeTransport Imds(FakeClock clock, bool tokenSupported = true, string role = "my-role", string code = "Success")
        => new(request =>
        {
            var path = request.Uri.AbsolutePath;
            if (path == "/latest/api/token")
            {
                if (request.Method != "PUT") return FakeTransport.Text(405, "");
                if (!tokenSupported) return FakeTransport.Text(403, "");
                Assert.Equal("21600", request.Headers["X-aliyun-ecs-metadata-token-ttl-seconds"]);
                return FakeTransport.Text(200, "imds-token-1");
            }
            if (tokenSupported && (!request.Headers.TryGetValue("X-aliyun-ecs-metadata-token", out var t) || t != "imds-token-1"))
                return FakeTransport.Text(401, "");
            if (path == "/latest/meta-data/ram/security-credentials/") return FakeTransport.Text(200, role + "\n");
            if (path == "/latest/meta-data/ram/security-credentials/" + role)
                return FakeTransport.Json(200, $$"""
                    {"Code":"{{code}}","AccessKeyId":"STS.ecs000000001","AccessKeySecret":"ecs-secret","SecurityToken":"ecs-token",
                     "Expiration":"{{clock.UtcNow.AddHours(6).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}","LastUpdated":"{{clock.UtcNow.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}
                    """);
            return FakeTransport.Text(404, "");
        });

    private static TestHome EcsHome(FakeTransport imds, FakeClock clock)
    {
        var home = new TestHome();
        home.Variables.Remove("ALIBABA_CLOUD_ECS_METADATA_DISABLED");
        home.Env.MetadataEndpoint = Metadata;
        home.Env.Transport = imds;
        home.Env.Clock = clock;
        return home;
    }

    [Fact]
    public async Task Ecs_role_uses_the_IMDSv2_token_discovers_the_role_and_names_it()
    {
        var clock = new FakeClock();
        var imds = Imds(clock);
        using var home = EcsHome(imds, clock);
        var chain = home.Resolver.DefaultChain();
        var creds = await chain.GetCredentialsAsync(default);
        Assert.Equal("STS.ecs000000001", creds.AccessKeyId);
        Assert.Equal("ecs-token", creds.RevealSecurityToken());
        Assert.Equal(clock.UtcNow.AddHours(6), creds.Expiration);
        Assert.Equal("ecs-ram-role:my-role", chain.Source);
        Assert.Equal(new[] { "PUT /latest/api/token", "GET /latest/meta-data/ram/security-credentials/", "GET /latest/meta-data/ram/security-credentials/my-role" },
            imds.Requests.Select(r => $"{r.Method} {r.Uri.AbsolutePath}"));
    }

    [Fact]
    public async Task Configured_role_skips_discovery_and_falls_back_to_IMDSv1()
    {
        var clock = new FakeClock();
        var imds = Imds(clock, tokenSupported: false, role: "configured");
        using var home = EcsHome(imds, clock);
        home.Variables["ALIBABA_CLOUD_ECS_METADATA"] = "configured";
        var provider = new EcsRamRoleCredentialsProvider(null, home.Env);
        Assert.Equal("ecs-ram-role:configured", provider.Source);
        Assert.Equal("STS.ecs000000001", (await provider.GetCredentialsAsync(default)).AccessKeyId);
        Assert.Equal(new[] { "PUT /latest/api/token", "GET /latest/meta-data/ram/security-credentials/configured" },
            imds.Requests.Select(r => $"{r.Method} {r.Uri.AbsolutePath}"));
        Assert.False(imds.Requests.Last().Headers.ContainsKey("X-aliyun-ecs-metadata-token"));
    }

    [Fact]
    public async Task IMDSv1_disabled_fails_when_no_token_can_be_had()
    {
        var clock = new FakeClock();
        using var home = EcsHome(Imds(clock, tokenSupported: false), clock);
        home.Variables["ALIBABA_CLOUD_IMDSV1_DISABLED"] = "true";
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => new EcsRamRoleCredentialsProvider("my-role", home.Env).GetCredentialsAsync(default));
        Assert.Contains("answered HTTP 403, and ALIBABA_CLOUD_IMDSV1_DISABLED is true", e.Message);
    }

    [Fact]
    public async Task Metadata_disabled_and_a_code_other_than_Success_are_reported()
    {
        var clock = new FakeClock();
        using var home = EcsHome(Imds(clock, code: "Failed"), clock);
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => new EcsRamRoleCredentialsProvider(null, home.Env).GetCredentialsAsync(default));
        Assert.Contains("Code=Failed, not Success", e.Message);

        home.Variables["ALIBABA_CLOUD_ECS_METADATA_DISABLED"] = "TRUE";
        var disabled = await Assert.ThrowsAsync<NlbCredentialsException>(() => new EcsRamRoleCredentialsProvider(null, home.Env).GetCredentialsAsync(default));
        Assert.Contains("ALIBABA_CLOUD_ECS_METADATA_DISABLED", disabled.Message);
    }

    [Fact]
    public async Task An_unreachable_metadata_service_fails_fast_with_its_address()
    {
        var clock = new FakeClock();
        using var home = EcsHome(new FakeTransport(NlbHttpResponse (_) => throw new HttpRequestException("Connection refused (127.0.0.1:1)")), clock);
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => new EcsRamRoleCredentialsProvider(null, home.Env).GetCredentialsAsync(default));
        Assert.Contains("the metadata service at http://127.0.0.1:1 could not be reached", e.Message);
    }

    [Fact]
    public async Task Ini_file_beats_the_ecs_role_and_the_ecs_role_answers_when_nothing_else_does()
    {
        var clock = new FakeClock();
        using var home = EcsHome(Imds(clock), clock);
        home.WriteIni("[default]\ntype = access_key\naccess_key_id = LTAIfromini00001\naccess_key_secret = x\n");
        Assert.Equal("LTAIfromini00001", (await home.Resolver.DefaultChain().GetCredentialsAsync(default)).AccessKeyId);

        File.Delete(Path.Combine(home.Root, ".alibabacloud", "credentials"));
        Assert.Equal("STS.ecs000000001", (await home.Resolver.DefaultChain().GetCredentialsAsync(default)).AccessKeyId);
    }

    [Fact]
    public async Task Credentials_uri_is_the_last_source_and_never_shows_its_query()
    {
        var clock = new FakeClock();
        using var home = new TestHome();
        home.Env.Clock = clock;
        var ok = true;
        home.Env.Transport = new FakeTransport(request => ok
            ? FakeTransport.Json(200, $$"""{"AccessKeyId":"STS.uri000000001","AccessKeySecret":"uri-secret","SecurityToken":"uri-token","Expiration":"{{clock.UtcNow.AddHours(1).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}""")
            : FakeTransport.Text(500, "boom"));
        home.Variables["ALIBABA_CLOUD_CREDENTIALS_URI"] = "http://127.0.0.1:8080/credentials?token=" + TestHome.Token;

        var chain = home.Resolver.DefaultChain();
        var creds = await chain.GetCredentialsAsync(default);
        Assert.Equal("STS.uri000000001", creds.AccessKeyId);
        Assert.Equal("credentials-uri:http://127.0.0.1:8080/credentials", chain.Source);

        ok = false;
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => home.Resolver.DefaultChain().GetCredentialsAsync(default));
        Assert.Contains("6. credentials-uri: http://127.0.0.1:8080/credentials answered HTTP 500.", e.Message);
        TestHome.AssertNoSecret(e.Message);
    }
}
