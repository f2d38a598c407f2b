using NlbTools.Client.Credentials;
using NlbTools.Client.Pipeline;
using Xunit;

namespace NlbTools.Client.Tests.Credentials;

/// <summary>Every CLI mode and ini type becomes the right provider, with the right inputs and source name.</summary>
public class ProfileModesTests
{
    private const string RoleArn = "acs:ram::1234567890123456:role/nlb-admin";

    /// <summary>STS that answers AssumeRole with keys numbered by call, and records the calls.</summary>
    private static (TestHome, List<StsCall>) Home()
    {
        var home = new TestHome();
        var clock = new FakeClock();
        var calls = new List<StsCall>();
        home.Env.Clock = clock;
        home.Env.Transport = new FakeTransport(request =>
        {
            if (request.Uri.AbsolutePath.StartsWith("/latest/", StringComparison.Ordinal))
                return request.Uri.AbsolutePath switch
                {
                    "/latest/api/token" => FakeTransport.Text(200, "tok"),
                    "/latest/meta-data/ram/security-credentials/instance-role" => FakeTransport.Json(200,
                        $$"""{"Code":"Success","AccessKeyId":"STS.instance0001","AccessKeySecret":"instance-secret","SecurityToken":"instance-token","Expiration":"{{clock.UtcNow.AddHours(6).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}"""),
                    _ => FakeTransport.Text(404, ""),
                };
            if (request.Uri.AbsolutePath == "/creds")
                return FakeTransport.Json(200, $$"""{"AccessKeyId":"STS.fromuri00001","AccessKeySecret":"u","SecurityToken":"u","Expiration":"{{clock.UtcNow.AddHours(1).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}""");
            var call = new StsCall(request);
            int n;
            lock (calls) { calls.Add(call); n = calls.Count; }
            return FakeTransport.Json(200, StsCall.CredentialsJson($"STS.assumed{n:000000}", $"assumed-secret-{n}", $"assumed-token-{n}", clock.UtcNow.AddHours(1)));
        });
        home.Env.MetadataEndpoint = new Uri("http://127.0.0.1:2/");
        home.Env.StsEndpoint = new Uri("http://127.0.0.1:3/");
        home.Variables.Remove("ALIBABA_CLOUD_ECS_METADATA_DISABLED");
        return (home, calls);
    }

    private static readonly string CliConfig = $$"""
        {
          "current": "role",
          "profiles": [
            { "name": "base", "mode": "AK", "access_key_id": "LTAIbase00000001", "access_key_secret": "{{TestHome.Secret}}", "region_id": "cn-hangzhou" },
            { "name": "role", "mode": "RamRoleArn", "access_key_id": "LTAIrole00000001", "access_key_secret": "role-secret",
              "ram_role_arn": "{{RoleArn}}", "ram_session_name": "cli-session", "expired_seconds": 1200, "external_id": "ext-1", "sts_region": "cn-shanghai" },
            { "name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "role", "ram_role_arn": "acs:ram::1234567890123456:role/second" },
            { "name": "loop-a", "mode": "ChainableRamRoleArn", "source_profile": "loop-b", "ram_role_arn": "{{RoleArn}}" },
            { "name": "loop-b", "mode": "ChainableRamRoleArn", "source_profile": "loop-a", "ram_role_arn": "{{RoleArn}}" },
            { "name": "ecs", "mode": "EcsRamRole", "ram_role_name": "instance-role" },
            { "name": "uri", "mode": "CredentialsURI", "credentials_uri": "http://127.0.0.1:4/creds" },
            { "name": "oidc", "mode": "OIDC", "oidc_provider_arn": "acs:ram::1234567890123456:oidc-provider/p", "oidc_token_file": "TOKENFILE", "ram_role_arn": "{{RoleArn}}" },
            { "name": "bad-duration", "mode": "RamRoleArn", "access_key_id": "a", "access_key_secret": "b", "ram_role_arn": "{{RoleArn}}", "expired_seconds": "soon" }
          ]
        }
        """;

    private static async Task<(ResolvedProfile Profile, NlbCredentials Credentials)> Resolve(TestHome home, string name)
    {
        var profile = home.Resolver.Profile(name);
        return (profile, await profile.Provider.GetCredentialsAsync(default));
    }

    [Fact]
    public async Task Cli_RamRoleArn_assumes_the_role_with_the_profile_keys_and_options()
    {
        var (home, calls) = Home();
        using var _ = home;
        home.WriteCliConfig(CliConfig);
        var (profile, creds) = await Resolve(home, "role");
        Assert.Equal("cli-profile:role (RamRoleArn)", profile.Source);
        Assert.Equal("cli-profile:role (RamRoleArn)", creds.Source);
        Assert.Equal("STS.assumed000001", creds.AccessKeyId);
        Assert.NotNull(creds.Expiration);
        var call = Assert.Single(calls);
        Assert.True(call.SignedWith("role-secret"));
        Assert.Equal("LTAIrole00000001", call.Query["AccessKeyId"]);
        Assert.Equal(("cli-session", "1200", "ext-1"), (call.Body["RoleSessionName"], call.Body["DurationSeconds"], call.Body["ExternalId"]));
    }

    [Fact]
    public async Task Cli_ChainableRamRoleArn_signs_with_the_source_profiles_temporary_credentials()
    {
        var (home, calls) = Home();
        using var _ = home;
        home.WriteCliConfig(CliConfig);
        var (profile, creds) = await Resolve(home, "chained");
        Assert.Equal("cli-profile:chained (ChainableRamRoleArn)", profile.Source);
        Assert.Equal("STS.assumed000002", creds.AccessKeyId);
        Assert.Equal(2, calls.Count);
        Assert.Equal(RoleArn, calls[0].Body["RoleArn"]);
        Assert.Equal("acs:ram::1234567890123456:role/second", calls[1].Body["RoleArn"]);
        Assert.Equal("STS.assumed000001", calls[1].Query["AccessKeyId"]);
        Assert.Equal("assumed-token-1", calls[1].Query["SecurityToken"]);
        Assert.True(calls[1].SignedWith("assumed-secret-1"));
    }

    [Fact]
    public void Cli_source_profile_loops_and_bad_numbers_are_named()
    {
        var (home, _) = Home();
        using var _home = home;
        home.WriteCliConfig(CliConfig);
        var loop = Assert.Throws<NlbCredentialsException>(() => home.Resolver.Profile("loop-a"));
        Assert.Contains("source_profile forms a loop (loop-a -> loop-b -> loop-a)", loop.Message);
        var duration = Assert.Throws<NlbCredentialsException>(() => home.Resolver.Profile("bad-duration"));
        Assert.Contains("profile 'bad-duration' expired_seconds must be a whole number", duration.Message);
    }

    [Fact]
    public async Task Cli_EcsRamRole_CredentialsURI_and_OIDC_modes()
    {
        var (home, calls) = Home();
        using var _ = home;
        var tokenFile = home.Write("token", "oidc-token-content");
        home.WriteCliConfig(CliConfig.Replace("TOKENFILE", tokenFile.Replace("\\", "\\\\")));

        var (ecs, ecsCreds) = await Resolve(home, "ecs");
        Assert.Equal(("cli-profile:ecs (EcsRamRole)", "STS.instance0001"), (ecs.Source, ecsCreds.AccessKeyId));

        var (uri, uriCreds) = await Resolve(home, "uri");
        Assert.Equal(("cli-profile:uri (CredentialsURI)", "STS.fromuri00001"), (uri.Source, uriCreds.AccessKeyId));

        var (oidc, oidcCreds) = await Resolve(home, "oidc");
        Assert.Equal(("cli-profile:oidc (OIDC)", "STS.assumed000001"), (oidc.Source, oidcCreds.AccessKeyId));
        Assert.Equal("AssumeRoleWithOIDC", calls[0].Query["Action"]);
        Assert.Equal("oidc-token-content", calls[0].Body["OIDCToken"]);
    }

    [Fact]
    public async Task Ini_types_ram_role_arn_ecs_ram_role_and_oidc_role_arn()
    {
        var (home, calls) = Home();
        using var _ = home;
        var tokenFile = home.Write("token", "ini-oidc-token");
        home.WriteIni($$"""
            [role]
            type = ram_role_arn
            access_key_id = LTAIinirole00001
            access_key_secret = ini-role-secret
            role_arn = {{RoleArn}}
            role_session_name = ini-session
            policy = {"Version":"1"}
            external_id = ini-ext

            [ecs]
            type = ecs_ram_role
            role_name = instance-role

            [oidc]
            type = oidc_role_arn
            role_arn = {{RoleArn}}
            oidc_provider_arn = acs:ram::1234567890123456:oidc-provider/p
            oidc_token_file_path = {{tokenFile}}
            """);

        var (role, roleCreds) = await Resolve(home, "role");
        Assert.Equal(("ini-profile:role (ram_role_arn)", "STS.assumed000001"), (role.Source, roleCreds.AccessKeyId));
        Assert.True(calls[0].SignedWith("ini-role-secret"));
        Assert.Equal(("ini-session", """{"Version":"1"}""", "ini-ext"), (calls[0].Body["RoleSessionName"], calls[0].Body["Policy"], calls[0].Body["ExternalId"]));

        var (ecs, ecsCreds) = await Resolve(home, "ecs");
        Assert.Equal(("ini-profile:ecs (ecs_ram_role)", "STS.instance0001"), (ecs.Source, ecsCreds.AccessKeyId));

        var (oidc, _) = await Resolve(home, "oidc");
        Assert.Equal("ini-profile:oidc (oidc_role_arn)", oidc.Source);
        Assert.Equal("ini-oidc-token", calls[1].Body["OIDCToken"]);
    }
}
