using Xunit;
using NlbTools.Client.Credentials;

namespace NlbTools.Client.Tests.Credentials;

/// <summary>
/// A throw-away home folder plus a private variable table: tests never read the real user's files or
/// variables, and the ECS metadata source is disabled unless a test points it at a loopback server.
/// </summary>
internal sealed class TestHome : IDisposable
{
    public const string Secret = "S3cr3t-VALUE-never-shown";
    public const string Token = "T0ken-VALUE-never-shown";

    public TestHome()
    {
        Root = Path.Combine(Path.GetTempPath(), "nlbtools-creds-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Variables["ALIBABA_CLOUD_ECS_METADATA_DISABLED"] = "true";
        Env = new CredentialsEnvironment
        {
            HomeDirectory = Root,
            GetVariable = name => Variables.TryGetValue(name, out var v) ? v : null,
        };
    }

    public string Root { get; }
    public Dictionary<string, string> Variables { get; } = new();
    public CredentialsEnvironment Env { get; }
    public CredentialsResolver Resolver => new(Env);

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string WriteCliConfig(string json) => Write(".aliyun/config.json", json);
    public string WriteIni(string ini) => Write(".alibabacloud/credentials", ini);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    /// <summary>Fails when a text shows a secret or token used by these tests.</summary>
    public static void AssertNoSecret(string? text)
    {
        Assert.NotNull(text);
        Assert.DoesNotContain(Secret, text);
        Assert.DoesNotContain(Token, text);
        Assert.DoesNotContain("never-shown", text);
    }
}
