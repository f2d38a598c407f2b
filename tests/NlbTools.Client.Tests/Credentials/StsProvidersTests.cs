using NlbTools.Client.Credentials;
using Xunit;

namespace NlbTools.Client.Tests.Credentials;

public class StsProvidersTests
{
    private const string RoleArn = "acs:ram::1234567890123456:role/nlb-admin";

    private static (TestHome Home, FakeClock Clock, FakeTransport Sts, List<StsCall> Calls) Setup(Func<StsCall, int, string>? answer = null)
    {
        var home = new TestHome();
        var clock = new FakeClock();
        var calls = new List<StsCall>();
        var sts = new FakeTransport(request =>
        {
            var call = new StsCall(request);
            int n;
            lock (calls) { calls.Add(call); n = calls.Count; }
            return FakeTransport.Json(200, answer?.Invoke(call, n)
                ?? StsCall.CredentialsJson($"STS.temporary{n:0000}", $"temp-secret-{n}", $"temp-token-{n}", clock.UtcNow.AddHours(1)));
        });
        home.Env.Clock = clock;
        home.Env.Transport = sts;
        return (home, clock, sts, calls);
    }

    [Fact]
    public async Task RamRoleArn_sends_a_V2_signed_AssumeRole_with_every_option()
    {
        var (home, clock, _, calls) = Setup();
        using var _home = home;
        var keys = new StaticCredentialsProvider("LTAIcaller000001", TestHome.Secret);
        var provider = new RamRoleArnCredentialsProvider(keys, new StsRoleOptions
        {
            RoleArn = RoleArn, RoleSessionName = "runbook", DurationSeconds = 1800,
            Policy = """{"Version":"1","Statement":[]}""", ExternalId = "abcd1234",
        }, home.Env);

        var creds = await provider.GetCredentialsAsync(CancellationToken.None);

        Assert.Equal("STS.temporary0001", creds.AccessKeyId);
        Assert.Equal("temp-secret-1", creds.RevealSecret());
        Assert.Equal("temp-token-1", creds.RevealSecurityToken());
        Assert.Equal(clock.UtcNow.AddHours(1), creds.Expiration);
        Assert.Equal("ram-role-arn:" + RoleArn, creds.Source);

        var call = Assert.Single(calls);
        Assert.Equal("POST", call.Request.Method);
        Assert.Equal("https://sts.aliyuncs.com/", call.Request.Uri.GetLeftPart(UriPartial.Path));
        Assert.Equal("AssumeRole", call.Query["Action"]);
        Assert.Equal("2015-04-01", call.Query["Version"]);
        Assert.Equal("JSON", call.Query["Format"]);
        Assert.Equal("HMAC-SHA1", call.Query["SignatureMethod"]);
        Assert.Equal("1.0", call.Query["SignatureVersion"]);
        Assert.Equal("LTAIcaller000001", call.Query["AccessKeyId"]);
        Assert.Equal("2026-11-29T12:00:00Z", call.Query["Timestamp"]);
        Assert.False(call.Query.ContainsKey("SecurityToken"));
        Assert.True(call.SignedWith(TestHome.Secret));
        Assert.False(call.SignedWith("another-secret"));
        Assert.Equal(RoleArn, call.Body["RoleArn"]);
        Assert.Equal("runbook", call.Body["RoleSessionName"]);
        Assert.Equal("1800", call.Body["DurationSeconds"]);
        Assert.Equal("""{"Version":"1","Statement":[]}""", call.Body["Policy"]);
        Assert.Equal("abcd1234", call.Body["ExternalId"]);
        Assert.Equal("application/x-www-form-urlencoded", call.Request.Headers["Content-Type"]);
    }

    [Fact]
    public async Task Session_name_defaults_to_the_variable_then_nlbtools_and_a_timestamp()
    {
        var (home, clock, _, calls) = Setup();
        using var _home = home;
        var keys = new StaticCredentialsProvider("LTAIcaller000001", TestHome.Secret);
        await new RamRoleArnCredentialsProvider(keys, new StsRoleOptions { RoleArn = RoleArn }, home.Env).GetCredentialsAsync(default);
        Assert.Equal("nlbtools-" + clock.UtcNow.ToUnixTimeMilliseconds(), calls[0].Body["RoleSessionName"]);
        Assert.Equal("3600", calls[0].Body["DurationSeconds"]);
        Assert.False(calls[0].Body.ContainsKey("Policy"));

        home.Variables["ALIBABA_CLOUD_ROLE_SESSION_NAME"] = "from-env";
        await new RamRoleArnCredentialsProvider(keys, new StsRoleOptions { RoleArn = RoleArn }, home.Env).GetCredentialsAsync(default);
        Assert.Equal("from-env", calls[1].Body["RoleSessionName"]);
    }

    [Theory]
    [InlineData(null, false, null, "https://sts.aliyuncs.com/")]
    [InlineData("cn-hangzhou", false, null, "https://sts.cn-hangzhou.aliyuncs.com/")]
    [InlineData("cn-hangzhou", true, null, "https://sts-vpc.cn-hangzhou.aliyuncs.com/")]
    [InlineData(null, false, "ap-southeast-1", "https://sts.ap-southeast-1.aliyuncs.com/")]
    [InlineData("cn-beijing", false, "ap-southeast-1", "https://sts.cn-beijing.aliyuncs.com/")]
    public void Sts_endpoint_follows_region_and_vpc_flag(string? stsRegion, bool vpc, string? regionVariable, string expected)
    {
        using var home = new TestHome();
        if (regionVariable != null) home.Variables["ALIBABA_CLOUD_STS_REGION"] = regionVariable;
        Assert.Equal(expected, StsClient.Endpoint(new StsRoleOptions { StsRegionId = stsRegion, EnableVpc = vpc }, home.Env).ToString());
    }

    [Fact]
    public void Sts_endpoint_override_and_vpc_variable()
    {
        using var home = new TestHome();
        home.Variables["ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"] = "true";
        Assert.Equal("https://sts-vpc.cn-shanghai.aliyuncs.com/", StsClient.Endpoint(new StsRoleOptions { StsRegionId = "cn-shanghai" }, home.Env).ToString());

        home.Variables[CredentialsEnvironment.StsEndpointVariable] = "http://127.0.0.1:41234/";
        Assert.Equal("http://127.0.0.1:41234/", StsClient.Endpoint(new StsRoleOptions(), home.Env).ToString());

        home.Env.StsEndpoint = new Uri("http://sts.example.com/");
        var e = Assert.Throws<NlbCredentialsException>(() => StsClient.Endpoint(new StsRoleOptions(), home.Env));
        Assert.Contains("loopback", e.Message);
    }

    [Fact]
    public async Task Sts_errors_name_the_code_and_request_id_and_hide_secrets_and_the_string_to_sign()
    {
        var (home, _, _, _) = Setup((call, _) => "");
        using var _home = home;
        home.Env.Transport = new FakeTransport(_ => FakeTransport.Json(400, """
            {"RequestId":"0C4F2B43-1111","HostId":"sts.aliyuncs.com","Code":"SignatureDoesNotMatch",
             "Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAI%26SecurityToken%3DT0ken-VALUE-never-shown"}
            """));
        var keys = new StaticCredentialsProvider("LTAIcaller000001", TestHome.Secret, TestHome.Token);
        var provider = new RamRoleArnCredentialsProvider(keys, new StsRoleOptions { RoleArn = RoleArn }, home.Env);
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => provider.GetCredentialsAsync(default));
        Assert.Contains("STS AssumeRole at https://sts.aliyuncs.com failed: HTTP 400 SignatureDoesNotMatch", e.Message);
        Assert.Contains("RequestId 0C4F2B43-1111", e.Message);
        Assert.DoesNotContain("AccessKeyId%3D", e.Message);
        TestHome.AssertNoSecret(e.Message);
    }

    [Fact]
    public async Task Source_credentials_with_a_token_send_it_as_SecurityToken()
    {
        var (home, _, _, calls) = Setup();
        using var _home = home;
        var keys = new StaticCredentialsProvider("STS.caller000001", TestHome.Secret, TestHome.Token);
        await new RamRoleArnCredentialsProvider(keys, new StsRoleOptions { RoleArn = RoleArn }, home.Env).GetCredentialsAsync(default);
        Assert.Equal(TestHome.Token, calls[0].Query["SecurityToken"]);
        Assert.True(calls[0].SignedWith(TestHome.Secret));
    }

    [Fact]
    public async Task Duration_below_900_seconds_is_refused_before_any_call()
    {
        var (home, _, _, calls) = Setup();
        using var _home = home;
        var keys = new StaticCredentialsProvider("LTAIcaller000001", TestHome.Secret);
        var provider = new RamRoleArnCredentialsProvider(keys, new StsRoleOptions { RoleArn = RoleArn, DurationSeconds = 600 }, home.Env);
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => provider.GetCredentialsAsync(default));
        Assert.Contains("at least 900", e.Message);
        Assert.Empty(calls);
    }

    [Fact]
    public async Task Oidc_from_the_environment_is_the_second_source_and_rereads_the_token_file()
    {
        var (home, clock, _, calls) = Setup();
        using var _home = home;
        var tokenFile = home.Write("var/run/secrets/oidc-token", "eyJhbGciOiJSUzI1NiJ9.first");
        home.Variables["ALIBABA_CLOUD_ROLE_ARN"] = RoleArn;
        home.Variables["ALIBABA_CLOUD_OIDC_PROVIDER_ARN"] = "acs:ram::1234567890123456:oidc-provider/ack-rrsa";
        home.Variables["ALIBABA_CLOUD_OIDC_TOKEN_FILE"] = tokenFile;
        home.WriteCliConfig("""{ "profiles": [ { "name": "default", "mode": "AK", "access_key_id": "LTAIfromcli00001", "access_key_secret": "x" } ] }""");

        var chain = home.Resolver.DefaultChain();
        var creds = await chain.GetCredentialsAsync(default);
        Assert.Equal("STS.temporary0001", creds.AccessKeyId);
        Assert.Equal("oidc:" + RoleArn, chain.Source);

        var call = calls[0];
        Assert.Equal("AssumeRoleWithOIDC", call.Query["Action"]);
        Assert.False(call.Query.ContainsKey("Signature"));   // unsigned by design
        Assert.False(call.Query.ContainsKey("AccessKeyId"));
        Assert.Equal("eyJhbGciOiJSUzI1NiJ9.first", call.Body["OIDCToken"]);
        Assert.Equal("acs:ram::1234567890123456:oidc-provider/ack-rrsa", call.Body["OIDCProviderArn"]);
        Assert.Equal(RoleArn, call.Body["RoleArn"]);

        File.WriteAllText(tokenFile, "eyJhbGciOiJSUzI1NiJ9.rotated");
        clock.Advance(TimeSpan.FromMinutes(58));
        Assert.Equal("STS.temporary0002", (await chain.GetCredentialsAsync(default)).AccessKeyId);
        Assert.Equal("eyJhbGciOiJSUzI1NiJ9.rotated", calls[1].Body["OIDCToken"]);
    }

    [Fact]
    public async Task Oidc_with_some_variables_missing_says_which()
    {
        using var home = new TestHome();
        home.Variables["ALIBABA_CLOUD_ROLE_ARN"] = RoleArn;
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => home.Resolver.DefaultChain().GetCredentialsAsync(default));
        Assert.Contains("oidc: skipped, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE are not set (the others are).", e.Message);
    }
}
