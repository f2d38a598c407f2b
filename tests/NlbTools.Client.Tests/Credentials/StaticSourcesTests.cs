using Xunit;
using NlbTools.Client.Credentials;

namespace NlbTools.Client.Tests.Credentials;

public class StaticSourcesTests
{
    private static Task<NlbCredentials> Get(ICredentialsProvider p) => p.GetCredentialsAsync(CancellationToken.None);

    [Fact]
    public async Task Environment_variables_give_a_key_pair_and_an_optional_token()
    {
        using var home = new TestHome();
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAIenvironment01";
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = TestHome.Secret;

        var plain = await Get(new EnvironmentCredentialsProvider(home.Env));
        Assert.Equal("LTAIenvironment01", plain.AccessKeyId);
        Assert.Equal(TestHome.Secret, plain.RevealSecret());
        Assert.False(plain.HasSecurityToken);
        Assert.Equal("environment", plain.Source);

        home.Variables["ALIBABA_CLOUD_SECURITY_TOKEN"] = TestHome.Token;
        var sts = await Get(new EnvironmentCredentialsProvider(home.Env));
        Assert.Equal(TestHome.Token, sts.RevealSecurityToken());
    }

    [Fact]
    public async Task Environment_with_only_the_secret_names_the_missing_variable()
    {
        using var home = new TestHome();
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = TestHome.Secret;
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => Get(new EnvironmentCredentialsProvider(home.Env)));
        Assert.Contains("ALIBABA_CLOUD_ACCESS_KEY_ID is not set", e.Message);
        TestHome.AssertNoSecret(e.Message);
    }

    private const string CliConfig = """
        {
          "current": "prod",
          "profiles": [
            { "name": "default", "mode": "AK", "access_key_id": "LTAIdefault00001", "access_key_secret": "S3cr3t-VALUE-never-shown", "region_id": "cn-hangzhou" },
            { "name": "prod", "mode": "AK", "access_key_id": "LTAIprod00000001", "access_key_secret": "S3cr3t-VALUE-never-shown", "region_id": "cn-shanghai" },
            { "name": "sts", "mode": "StsToken", "access_key_id": "STS.temp0000001", "access_key_secret": "S3cr3t-VALUE-never-shown", "sts_token": "T0ken-VALUE-never-shown", "region_id": "cn-beijing" },
            { "name": "lower", "mode": "ak", "access_key_id": "LTAIlowercase001", "access_key_secret": "S3cr3t-VALUE-never-shown" },
            { "name": "sso", "mode": "CloudSSO", "cloud_sso_sign_in_url": "https://example.invalid" }
          ],
          "meta_path": ""
        }
        """;

    [Fact]
    public async Task Cli_profile_uses_current_then_ALIBABA_CLOUD_PROFILE()
    {
        using var home = new TestHome();
        home.WriteCliConfig(CliConfig);

        var chain = home.Resolver.DefaultChain();
        var current = await Get(chain);
        Assert.Equal("LTAIprod00000001", current.AccessKeyId);
        Assert.Equal("cli-profile:prod (AK)", chain.Source);
        Assert.Equal("cli-profile:prod (AK)", current.Source);

        home.Variables["ALIBABA_CLOUD_PROFILE"] = "sts";
        var sts = await Get(home.Resolver.DefaultChain());
        Assert.Equal("STS.temp0000001", sts.AccessKeyId);
        Assert.Equal(TestHome.Token, sts.RevealSecurityToken());
        Assert.Equal("cli-profile:sts (StsToken)", sts.Source);
    }

    [Fact]
    public async Task Cli_modes_are_matched_case_insensitively_like_the_cli()
    {
        using var home = new TestHome();
        home.WriteCliConfig(CliConfig);
        var profile = home.Resolver.Profile("lower");
        Assert.Equal("cli-profile:lower (AK)", profile.Source);
        Assert.Equal("LTAIlowercase001", (await Get(profile.Provider)).AccessKeyId);
    }

    [Fact]
    public async Task ALIBABA_CLOUD_CONFIG_FILE_moves_the_cli_config()
    {
        using var home = new TestHome();
        var path = home.Write("elsewhere/cli.json", CliConfig);
        home.Variables["ALIBABA_CLOUD_CONFIG_FILE"] = path;
        Assert.Equal("LTAIprod00000001", (await Get(home.Resolver.DefaultChain())).AccessKeyId);
    }

    [Fact]
    public async Task ALIBABA_CLOUD_CLI_PROFILE_DISABLED_skips_the_cli_config()
    {
        using var home = new TestHome();
        home.WriteCliConfig(CliConfig);
        home.WriteIni("[default]\ntype = access_key\naccess_key_id = LTAIinifile00001\naccess_key_secret = " + TestHome.Secret + "\n");
        home.Variables["ALIBABA_CLOUD_CLI_PROFILE_DISABLED"] = "true";
        var chain = home.Resolver.DefaultChain();
        Assert.Equal("LTAIinifile00001", (await Get(chain)).AccessKeyId);
        Assert.Equal("ini-profile:default (access_key)", chain.Source);
    }

    [Fact]
    public async Task Ini_file_access_key_section_and_ALIBABA_CLOUD_CREDENTIALS_FILE()
    {
        using var home = new TestHome();
        home.WriteIni("""
            # comment
            [default]
            enable = true
            type = access_key
            access_key_id = foo-default-0001
            access_key_secret = "S3cr3t-VALUE-never-shown"

            [other]
            type = access_key
            access_key_id = foo-other-00001
            access_key_secret = S3cr3t-VALUE-never-shown
            """);
        var creds = await Get(home.Resolver.DefaultChain());
        Assert.Equal("foo-default-0001", creds.AccessKeyId);
        Assert.Equal(TestHome.Secret, creds.RevealSecret());

        home.Variables["ALIBABA_CLOUD_PROFILE"] = "other";
        Assert.Equal("foo-other-00001", (await Get(home.Resolver.DefaultChain())).AccessKeyId);

        var moved = home.Write("x/creds.ini", "[other]\ntype=access_key\naccess_key_id=moved-key-00001\naccess_key_secret=" + TestHome.Secret);
        home.Variables["ALIBABA_CLOUD_CREDENTIALS_FILE"] = moved;
        Assert.Equal("moved-key-00001", (await Get(home.Resolver.DefaultChain())).AccessKeyId);
    }

    [Fact]
    public async Task Ini_file_named_credentials_ini_is_read_too_as_the_CSharp_library_does()
    {
        using var home = new TestHome();
        home.Write(".alibabacloud/credentials.ini", "[default]\ntype = access_key\naccess_key_id = from-dot-ini-001\naccess_key_secret = " + TestHome.Secret);
        Assert.Equal("from-dot-ini-001", (await Get(home.Resolver.DefaultChain())).AccessKeyId);
    }

    [Fact]
    public async Task Malformed_cli_config_names_the_file_and_line_and_shows_no_secret()
    {
        using var home = new TestHome();
        var path = home.WriteCliConfig("{\n  \"current\": \"default\",\n  \"profiles\": [\n    { \"name\": \"default\", \"access_key_secret\": \"S3cr3t-VALUE-never-shown\" x }\n  ]\n}");
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => Get(home.Resolver.DefaultChain()));
        Assert.Contains(path, e.Message);
        Assert.Contains("line 4", e.Message);
        TestHome.AssertNoSecret(e.Message);

        // Profile(name) reports the same problem directly, not wrapped in a chain.
        var direct = Assert.Throws<NlbCredentialsException>(() => home.Resolver.Profile("default"));
        Assert.StartsWith(path + ": not valid JSON at line 4", direct.Message);
    }

    [Fact]
    public void Cli_profile_with_a_field_of_the_wrong_type_names_the_field()
    {
        using var home = new TestHome();
        var path = home.WriteCliConfig("""{ "profiles": [ { "name": "p", "mode": "AK", "access_key_id": { "x": 1 }, "access_key_secret": "S3cr3t-VALUE-never-shown" } ] }""");
        var e = Assert.Throws<NlbCredentialsException>(() => home.Resolver.Profile("p"));
        Assert.Contains(path, e.Message);
        Assert.Contains("profiles[0].access_key_id", e.Message);
        TestHome.AssertNoSecret(e.Message);
    }

    [Fact]
    public void Cli_profile_missing_a_required_key_names_it()
    {
        using var home = new TestHome();
        home.WriteCliConfig("""{ "profiles": [ { "name": "p", "mode": "StsToken", "access_key_id": "STS.x0000000001", "access_key_secret": "S3cr3t-VALUE-never-shown" } ] }""");
        var e = Assert.Throws<NlbCredentialsException>(() => home.Resolver.Profile("p"));
        Assert.Contains("profile 'p' (mode StsToken) has no sts_token", e.Message);
        TestHome.AssertNoSecret(e.Message);
    }

    [Fact]
    public void Unsupported_cli_mode_is_named()
    {
        using var home = new TestHome();
        home.WriteCliConfig(CliConfig);
        var e = Assert.Throws<NlbCredentialsException>(() => home.Resolver.Profile("sso"));
        Assert.Contains("mode CloudSSO", e.Message);
    }

    [Fact]
    public async Task Malformed_ini_names_the_file_and_line_and_not_the_content()
    {
        using var home = new TestHome();
        var path = home.WriteIni("[default]\ntype = access_key\nS3cr3t-VALUE-never-shown\n");
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => Get(home.Resolver.DefaultChain()));
        Assert.Contains($"{path}: line 3:", e.Message);
        TestHome.AssertNoSecret(e.Message);
    }

    [Fact]
    public void Profile_prefers_the_cli_config_then_the_ini_file_and_carries_the_region()
    {
        using var home = new TestHome();
        home.WriteCliConfig(CliConfig);
        home.WriteIni("[prod]\ntype = access_key\naccess_key_id = ini-prod-000001\naccess_key_secret = x\n[only-ini]\ntype = access_key\naccess_key_id = ini-only-000001\naccess_key_secret = x\nregion_id = eu-central-1\n");

        var prod = home.Resolver.Profile("prod");
        Assert.Equal("cli-profile:prod (AK)", prod.Source);
        Assert.Equal("cn-shanghai", prod.RegionId);

        var onlyIni = home.Resolver.Profile("only-ini");
        Assert.Equal("ini-profile:only-ini (access_key)", onlyIni.Source);
        Assert.Equal("eu-central-1", onlyIni.RegionId);

        var missing = Assert.Throws<NlbCredentialsException>(() => home.Resolver.Profile("nope"));
        Assert.Contains("Profile 'nope' was not found", missing.Message);
        Assert.Contains("config.json has no profile 'nope'", missing.Message);
        Assert.Contains("has no section [nope]", missing.Message);
    }

    [Fact]
    public void DefaultRegionId_reads_variables_in_the_cli_order_then_the_current_profile()
    {
        using var home = new TestHome();
        Assert.Null(home.Resolver.DefaultRegionId());

        home.WriteCliConfig(CliConfig);
        Assert.Equal("cn-shanghai", home.Resolver.DefaultRegionId()); // current = prod
        home.Variables["ALIBABA_CLOUD_PROFILE"] = "sts";
        Assert.Equal("cn-beijing", home.Resolver.DefaultRegionId());

        home.Variables["REGION"] = "ap-southeast-1";
        Assert.Equal("ap-southeast-1", home.Resolver.DefaultRegionId());
        home.Variables["ALICLOUD_REGION_ID"] = "us-west-1";
        Assert.Equal("us-west-1", home.Resolver.DefaultRegionId());
        home.Variables["ALIBABA_CLOUD_REGION_ID"] = "cn-qingdao";
        Assert.Equal("cn-qingdao", home.Resolver.DefaultRegionId());
    }
}
