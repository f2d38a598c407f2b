using Xunit;
using NlbTools.Client.Credentials;

namespace NlbTools.Client.Tests.Credentials;

public class ChainTests
{
    private static Task<NlbCredentials> Get(ICredentialsProvider p) => p.GetCredentialsAsync(CancellationToken.None);

    private static void WriteAll(TestHome home)
    {
        home.WriteCliConfig("""{ "current": "default", "profiles": [ { "name": "default", "mode": "AK", "access_key_id": "LTAIfromcli00001", "access_key_secret": "S3cr3t-VALUE-never-shown" } ] }""");
        home.WriteIni("[default]\ntype = access_key\naccess_key_id = LTAIfromini00001\naccess_key_secret = " + TestHome.Secret + "\n");
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAIfromenv00001";
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = TestHome.Secret;
    }

    [Fact]
    public async Task Environment_beats_cli_profile_which_beats_ini_file()
    {
        using var home = new TestHome();
        WriteAll(home);
        Assert.Equal("environment", (await Get(home.Resolver.DefaultChain())).Source);

        home.Variables.Remove("ALIBABA_CLOUD_ACCESS_KEY_ID");
        home.Variables.Remove("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
        Assert.Equal("LTAIfromcli00001", (await Get(home.Resolver.DefaultChain())).AccessKeyId);

        File.Delete(Path.Combine(home.Root, ".aliyun", "config.json"));
        Assert.Equal("LTAIfromini00001", (await Get(home.Resolver.DefaultChain())).AccessKeyId);
    }

    [Fact]
    public async Task The_first_source_that_answered_is_remembered()
    {
        using var home = new TestHome();
        WriteAll(home);
        home.Variables.Remove("ALIBABA_CLOUD_ACCESS_KEY_ID");
        var chain = home.Resolver.DefaultChain();
        Assert.Equal("default-chain", chain.Source);
        Assert.Equal("LTAIfromcli00001", (await Get(chain)).AccessKeyId);

        // The environment is complete now, but the chain stays with the source that answered first.
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAIfromenv00001";
        Assert.Equal("LTAIfromcli00001", (await Get(chain)).AccessKeyId);
        Assert.Equal("cli-profile:default (AK)", chain.Source);
    }

    [Fact]
    public async Task When_no_source_works_the_error_lists_every_source_and_why()
    {
        using var home = new TestHome();
        home.Variables["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = TestHome.Secret;
        var e = await Assert.ThrowsAsync<NlbCredentialsException>(() => Get(home.Resolver.DefaultChain()));
        var lines = e.Message.Split(Environment.NewLine);
        Assert.Equal("No Alibaba Cloud credentials found. Sources tried, in order:", lines[0]);
        Assert.StartsWith("  1. environment: ALIBABA_CLOUD_ACCESS_KEY_ID is not set", lines[1]);
        Assert.StartsWith("  2. oidc: skipped, ALIBABA_CLOUD_ROLE_ARN", lines[2]);
        Assert.Equal($"  3. cli-profile: {Path.Combine(home.Root, ".aliyun", "config.json")} does not exist.", lines[3]);
        Assert.StartsWith($"  4. ini-profile: {Path.Combine(home.Root, ".alibabacloud", "credentials")} (or credentials.ini) does not exist", lines[4]);
        Assert.StartsWith("  5. ecs-ram-role: ", lines[5]);
        Assert.Equal("  6. credentials-uri: skipped, ALIBABA_CLOUD_CREDENTIALS_URI is not set.", lines[6]);
        TestHome.AssertNoSecret(e.Message);
    }

    [Fact]
    public void Credentials_and_providers_never_show_the_secret()
    {
        var creds = new NlbCredentials("LTAI5tExampleKey9", TestHome.Secret, TestHome.Token, null, "cli-profile:prod (StsToken)");
        TestHome.AssertNoSecret(creds.ToString());
        Assert.Contains("LTAI****Key9", creds.ToString());
        TestHome.AssertNoSecret(new StaticCredentialsProvider("LTAI5tExampleKey9", TestHome.Secret, TestHome.Token).ToString());
    }
}
