using NlbTools.Client.Credentials;
using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using NlbTools.Client.Tests.Hostile;
using Xunit;

namespace NlbTools.Client.Tests.Credentials;

/// <summary>
/// Issue 15 items 3 and 4: credential values with control characters are refused wherever they come from, and
/// endpoints that come from configuration are checked before anything is sent to them.
/// </summary>
public class HostileCredentialsTests
{
    private const string RoleArn = "acs:ram::1234567890123456:role/nlb-admin";
    private const string Injected = "\r\nX-Injected: yes";

    private static void AssertRefused(NlbCredentialsException e, string field, string source)
    {
        Assert.Equal(CredentialValues.InvalidValueErrorId, e.ErrorId);
        Assert.Contains($"The {field} from '{source}' contains a control character", e.Message);
        Assert.DoesNotContain("X-Injected", e.Message); // the value is never echoed
        TestHome.AssertNoSecret(e.Message);
    }

    [Fact]
    public void Explicit_keys_with_CR_LF_are_refused_naming_the_field()
    {
        var id = Assert.Throws<NlbCredentialsException>(() => new StaticCredentialsProvider("LTAI5tTestKeyId0001" + Injected, TestHome.Secret));
        AssertRefused(id, "AccessKeyId", "explicit");
        var secret = Assert.Throws<NlbCredentialsException>(() => new StaticCredentialsProvider("LTAI5tTestKeyId0001", TestHome.Secret + "\u001b[2J"));
        AssertRefused(secret, "AccessKeySecret", "explicit");
        var token = Assert.Throws<NlbCredentialsException>(() => new StaticCredentialsProvider("LTAI5tTestKeyId0001", TestHome.Secret, "CAIS" + Injected));
        AssertRefused(token, "SecurityToken", "explicit");
        Assert.Throws<NlbCredentialsException>(() => new StaticCredentialsProvider("LTAI5tTestKeyId0001", TestHome.Secret, "CAIS\u0085next")); // C1 NEL
    }

    [Fact]
    public async Task Environment_variables_with_control_characters_stop_the_chain_instead_of_falling_through()
    {
        using var home = new TestHome();
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAI5tTestKeyId0001";
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = TestHome.Secret;
        home.Variables["ALIBABA_CLOUD_SECURITY_TOKEN"] = "CAIS" + Injected;
        home.WriteCliConfig("""{ "current": "p", "profiles": [ { "name": "p", "mode": "AK", "access_key_id": "LTAIcli000000001", "access_key_secret": "cli-secret" } ] }""");

        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => home.Resolver.DefaultChain().GetCredentialsAsync(default));

        AssertRefused(e, "SecurityToken", "environment");
    }

    [Fact]
    public async Task A_profile_file_value_with_a_control_character_is_refused()
    {
        using var home = new TestHome();
        home.WriteCliConfig("""{ "profiles": [ { "name": "p", "mode": "AK", "access_key_id": "LTAIcli000000001\u001b]0;x\u0007", "access_key_secret": "cli-secret" } ] }""");
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => home.Resolver.Profile("p").Provider.GetCredentialsAsync(default));
        AssertRefused(e, "AccessKeyId", "cli-profile:p (AK)");
    }

    [Fact]
    public async Task A_security_token_with_CR_LF_from_a_credentials_URI_server_is_refused_and_no_NLB_request_is_sent()
    {
        await using var server = new LoopbackServer((_, s) => LoopbackServer.Json(s, 200,
            """{"AccessKeyId":"STS.uri000000001","AccessKeySecret":"uri-secret","SecurityToken":"CAIS\r\nX-Injected: yes","Expiration":"2099-01-01T00:00:00Z"}"""));
        using var home = new TestHome();
        var provider = new CredentialsUriProvider(server.Uri + "credentials", home.Env);
        var nlb = new FakeTransport(_ => FakeTransport.Json(200, """{"RequestId":"R","Regions":{"Region":[]}}"""));
        using var client = new NlbClient(new NlbClientOptions { RegionId = "cn-hangzhou", Credentials = provider, Transport = nlb, Clock = new FakeClock() });

        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => client.DescribeRegionsAsync(new DescribeRegionsRequest()));

        AssertRefused(e, "SecurityToken", provider.Source);
        Assert.Single(server.Heads);
        Assert.Empty(nlb.Requests);
    }

    [Fact]
    public async Task STS_and_metadata_answers_with_control_characters_are_refused()
    {
        var clock = new FakeClock();
        using var home = new TestHome();
        home.Env.Clock = clock;
        var expiration = clock.UtcNow.AddHours(1).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
        home.Env.Transport = new FakeTransport(request => request.Uri.AbsolutePath switch
        {
            "/latest/api/token" => FakeTransport.Text(200, "imds-token"),
            "/latest/meta-data/ram/security-credentials/nlb-role" => FakeTransport.Json(200,
                $$"""{"Code":"Success","AccessKeyId":"STS.ecs00000001\n","AccessKeySecret":"s","SecurityToken":"t","Expiration":"{{expiration}}"}"""),
            _ => FakeTransport.Json(200, StsCall.CredentialsJson("STS.temporary0001", "s", "CAIS\\r\\nX-Injected: yes", clock.UtcNow.AddHours(1))),
        });
        home.Env.MetadataEndpoint = new Uri("http://127.0.0.1:1/");
        home.Variables.Remove("ALIBABA_CLOUD_ECS_METADATA_DISABLED");

        var sts = new RamRoleArnCredentialsProvider(new StaticCredentialsProvider("LTAIcaller000001", TestHome.Secret), new StsRoleOptions { RoleArn = RoleArn }, home.Env);
        AssertRefused(await Assert.ThrowsAsync<NlbCredentialsException>(() => sts.GetCredentialsAsync(default)), "SecurityToken", sts.Source);
        var ecs = new EcsRamRoleCredentialsProvider("nlb-role", home.Env);
        AssertRefused(await Assert.ThrowsAsync<NlbCredentialsException>(() => ecs.GetCredentialsAsync(default)), "AccessKeyId", ecs.Source);
    }

    [Theory]
    [InlineData("x@127.0.0.1:18086/#")]
    [InlineData("cn-hangzhou.evil.example/")]
    [InlineData("CN-HANGZHOU")]
    [InlineData("cn-hangzhou\r\nHost: x")]
    public async Task Sts_region_from_a_profile_or_the_environment_must_be_a_region_id(string region)
    {
        using var home = new TestHome();
        var sts = new FakeTransport(_ => FakeTransport.Json(200, StsCall.CredentialsJson("STS.temporary0001", "s", "t", DateTimeOffset.UtcNow.AddHours(1))));
        home.Env.Transport = sts;
        home.WriteCliConfig($$"""
            { "profiles": [ { "name": "role", "mode": "RamRoleArn", "access_key_id": "LTAIcaller000001", "access_key_secret": "{{TestHome.Secret}}",
                              "ram_role_arn": "{{RoleArn}}", "sts_region": {{Newtonsoft.Json.JsonConvert.ToString(region)}} } ] }
            """);

        var fromProfile = await Assert.ThrowsAsync<NlbCredentialsException>(() => home.Resolver.Profile("role").Provider.GetCredentialsAsync(default));
        Assert.Equal(CredentialEndpoints.InvalidEndpointErrorId, fromProfile.ErrorId);
        Assert.Contains("sts_region '", fromProfile.Message);
        Assert.Contains("is not a region id", fromProfile.Message);
        Assert.DoesNotContain(fromProfile.Message, char.IsControl);

        home.Variables["ALIBABA_CLOUD_STS_REGION"] = region;
        var fromVariable = Assert.Throws<NlbCredentialsException>(() => StsClient.Endpoint(new StsRoleOptions { RoleArn = RoleArn }, home.Env));
        Assert.Contains("ALIBABA_CLOUD_STS_REGION '", fromVariable.Message);
        Assert.Empty(sts.Requests);
    }

    [Fact]
    public void A_valid_sts_region_still_builds_the_regional_host()
    {
        using var home = new TestHome();
        home.Variables["ALIBABA_CLOUD_STS_REGION"] = " ap-southeast-1 ";
        Assert.Equal("https://sts.ap-southeast-1.aliyuncs.com/", StsClient.Endpoint(new StsRoleOptions { RoleArn = RoleArn }, home.Env).ToString());
    }

    [Theory]
    [InlineData("http://10.0.0.1/credentials", false)]
    [InlineData("http://sidecar.internal:8080/creds", false)]
    [InlineData("http://100.100.100.201/", false)]
    [InlineData("ftp://127.0.0.1/", false)]
    [InlineData("http://127.0.0.1:8080/creds", true)]
    [InlineData("http://[::1]:8080/creds", true)]
    [InlineData("http://localhost/creds", true)]
    [InlineData("http://100.100.100.200/creds", true)]
    [InlineData("https://creds.example.com/v1", true)]
    public void The_credentials_uri_allows_plain_http_only_for_loopback_and_the_metadata_address(string uri, bool allowed)
    {
        using var home = new TestHome();
        if (allowed)
        {
            Assert.NotNull(new CredentialsUriProvider(uri, home.Env));
            return;
        }
        var e = Assert.Throws<NlbCredentialsException>(() => new CredentialsUriProvider(uri, home.Env));
        Assert.Equal(CredentialEndpoints.InvalidEndpointErrorId, e.ErrorId);
    }

    [Fact]
    public async Task The_metadata_override_allows_plain_http_only_for_loopback_and_the_metadata_address()
    {
        using var home = new TestHome();
        var transport = new FakeTransport(_ => FakeTransport.Text(500, ""));
        home.Env.Transport = transport;
        home.Variables.Remove("ALIBABA_CLOUD_ECS_METADATA_DISABLED");
        home.Variables[CredentialsEnvironment.MetadataEndpointVariable] = "http://10.1.2.3/";

        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => new EcsRamRoleCredentialsProvider("nlb-role", home.Env).GetCredentialsAsync(default));
        Assert.Equal(CredentialEndpoints.InvalidEndpointErrorId, e.ErrorId);
        Assert.Contains(CredentialsEnvironment.MetadataEndpointVariable + " (http://10.1.2.3) uses plain http", e.Message);
        Assert.Empty(transport.Requests);

        // The chain reports it, rather than moving on to the next source as if no role were configured.
        home.Variables["ALIBABA_CLOUD_ECS_METADATA"] = "nlb-role";
        var chained = await Assert.ThrowsAsync<NlbCredentialsException>(() => home.Resolver.DefaultChain().GetCredentialsAsync(default));
        Assert.Equal(CredentialEndpoints.InvalidEndpointErrorId, chained.ErrorId);

        home.Variables[CredentialsEnvironment.MetadataEndpointVariable] = "http://100.100.100.200";
        Assert.Equal(new Uri("http://100.100.100.200"), home.Env.ResolveMetadataEndpoint());
        home.Env.MetadataEndpoint = new Uri("http://192.168.1.1/");
        Assert.Throws<NlbCredentialsException>(() => home.Env.ResolveMetadataEndpoint());
    }
}
