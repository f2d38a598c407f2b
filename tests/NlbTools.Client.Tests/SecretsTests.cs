using NlbTools.Client.Credentials;
using NlbTools.Client.Models;
using NlbTools.Client.Pipeline;
using Xunit;

namespace NlbTools.Client.Tests;

/// <summary>No secret, STS token or signature shows in exception text, ToString() or the log.</summary>
public class SecretsTests
{
    private static void AssertClean(string text, IEnumerable<string> forbidden)
    {
        foreach (var f in forbidden) Assert.DoesNotContain(f, text);
    }

    [Fact]
    public async Task NothingSecretInLogsExceptionsOrToString()
    {
        var lines = new List<string>();
        var responses = new Queue<Func<NlbHttpResponse>>(new Func<NlbHttpResponse>[]
        {
            () => TestClients.SystemBusy(),
            () => throw new HttpRequestException("Connection reset by peer"),
            () => MockTransport.Json(403, new
            {
                RequestId = "REQ-403", HostId = "nlb.cn-hangzhou.aliyuncs.com", Code = "Forbidden.NoPermission",
                Message = "You are not authorized.", Recommend = "https://api.aliyun.com/troubleshoot?q=Forbidden.NoPermission",
                AccessDeniedDetail = new { AuthAction = "nlb:UpdateListenerAttribute", NoPermissionType = "ImplicitDeny" },
            }),
        });
        var transport = new MockTransport(r => responses.Dequeue()());
        var provider = new StaticCredentialsProvider("STS.NTestKeyId0001", TestClients.Secret, TestClients.Token);
        using var client = TestClients.Create(transport, configure: o => { o.Credentials = provider; o.Log = lines.Add; });

        var ex = await Assert.ThrowsAsync<NlbException>(() => client.UpdateListenerAttributeAsync(new UpdateListenerAttributeRequest { ListenerId = "lsn-1@80" }));

        Assert.Equal("Forbidden.NoPermission", ex.Code);
        var signatures = transport.Requests.Select(r => r.Header("Authorization")!.Split("Signature=")[1]).ToList();
        Assert.Equal(3, signatures.Count);
        var forbidden = new[] { TestClients.Secret, TestClients.Token, "STS.NTestKeyId0001" }.Concat(signatures).ToList();

        Assert.True(lines.Count >= 5);
        AssertClean(string.Join("\n", lines), forbidden);
        Assert.Contains("STS.****0001", lines[0]);
        AssertClean(ex.ToString(), forbidden);
        AssertClean(ex.Message, forbidden);
        AssertClean(provider.ToString()!, forbidden);
        AssertClean(client.ToString()!, forbidden);
        AssertClean(client.Options.ToString()!, forbidden);
    }

    [Fact]
    public async Task TransportFailureExceptionHoldsNoSecret()
    {
        var transport = new MockTransport(r => throw new HttpRequestException("Name or service not known"));
        using var client = TestClients.Create(transport, configure: o => { o.MaxAttempts = 1; o.Credentials = new StaticCredentialsProvider(TestClients.KeyId, TestClients.Secret, TestClients.Token); });

        var ex = await Assert.ThrowsAsync<NlbException>(() => client.ListListenersAsync(new ListListenersRequest()));

        var signature = transport.Requests[0].Header("Authorization")!.Split("Signature=")[1];
        AssertClean(ex.ToString(), new[] { TestClients.Secret, TestClients.Token, signature });
    }

    [Fact]
    public void CredentialsToStringIsMasked()
    {
        var credentials = new NlbCredentials(TestClients.KeyId, TestClients.Secret, TestClients.Token);
        AssertClean(credentials.ToString(), new[] { TestClients.Secret, TestClients.Token, TestClients.KeyId });
    }
}
