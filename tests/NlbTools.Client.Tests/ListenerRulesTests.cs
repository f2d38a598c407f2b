using NlbTools.Client.Models;
using NlbTools.Client.Rules;
using Xunit;

namespace NlbTools.Client.Tests;

public class ListenerRulesTests
{
    private static UpdateListenerAttributeRequest Req(Action<UpdateListenerAttributeRequest> set)
    {
        var r = new UpdateListenerAttributeRequest { ListenerId = "lsn-1@80" };
        set(r);
        return r;
    }

    [Theory]
    [InlineData("TCP", 10, true)]
    [InlineData("TCP", 900, true)]
    [InlineData("TCP", 9, false)]
    [InlineData("TCP", 901, false)]
    [InlineData("TCPSSL", 900, true)]
    [InlineData("UDP", 20, true)]
    [InlineData("UDP", 21, false)]
    [InlineData("UDP", 9, false)]
    public void IdleTimeoutRangeDependsOnProtocol(string protocol, int value, bool ok)
    {
        var errors = ListenerRules.Validate(protocol, Req(r => r.IdleTimeout = value));
        Assert.Equal(ok, errors.Count == 0);
        if (!ok)
        {
            var e = Assert.Single(errors);
            Assert.Equal("IllegalParam.IdleTimeout", e.ServiceCode);
            Assert.Equal("IdleTimeoutOutOfRange", e.RuleId);
            Assert.True(e.IsServerOwnedRange);
            Assert.Contains(protocol, e.Message);
        }
    }

    [Theory]
    [InlineData("TCP")]
    [InlineData("UDP")]
    public void TcpSslOnlyParametersAreRejectedElsewhere(string protocol)
    {
        var request = Req(r =>
        {
            r.SecurityPolicyId = "tls_cipher_policy_1_2";
            r.CertificateIds = new() { "cert-1" };
            r.CaCertificateIds = new() { "ca-1" };
            r.CaEnabled = false;
            r.AlpnEnabled = true;
            r.AlpnPolicy = "HTTP2Only";
            r.Mss = 1400;
        });
        var errors = ListenerRules.Validate(protocol, request);
        Assert.Equal(ListenerRules.TcpSslOnlyParameters.OrderBy(x => x), errors.Select(e => e.Parameter).OrderBy(x => x));
        Assert.All(errors, e => Assert.Equal("ParameterRequiresTcpSsl", e.RuleId));
        Assert.Empty(ListenerRules.Validate("TCPSSL", request));
    }

    [Theory]
    [InlineData("ab", true)]
    [InlineData("a", false)]
    [InlineData("web-tier_1,v2.0;a/b@c", true)]
    [InlineData("生产环境", true)]
    [InlineData("has space", false)]
    [InlineData("semi:colon", false)]
    public void DescriptionCharactersAndLength(string description, bool ok)
    {
        Assert.Equal(ok, ListenerRules.Validate("TCP", Req(r => r.ListenerDescription = description)).Count == 0);
    }

    [Fact]
    public void DescriptionLengthBounds()
    {
        Assert.Empty(ListenerRules.Validate("TCP", Req(r => r.ListenerDescription = new string('a', 256))));
        Assert.Single(ListenerRules.Validate("TCP", Req(r => r.ListenerDescription = new string('a', 257))));
    }

    [Fact]
    public void AlpnEnabledNeedsPolicy()
    {
        var e = Assert.Single(ListenerRules.Validate("TCPSSL", Req(r => r.AlpnEnabled = true)));
        Assert.Equal("AlpnPolicyRequired", e.RuleId);
        Assert.Empty(ListenerRules.Validate("TCPSSL", Req(r => r.AlpnEnabled = false)));
    }

    [Fact]
    public void OneCertificateOnly()
    {
        var e = Assert.Single(ListenerRules.Validate("TCPSSL", Req(r => r.CertificateIds = new() { "c1", "c1" })));
        Assert.Equal("IllegalParamSize.certificateIds", e.ServiceCode);
        Assert.Contains("repeated", e.Message);
    }

    [Theory]
    [InlineData("TCP", "TCP", false, true)]
    [InlineData("TCP", "TCP_UDP", false, true)]
    [InlineData("TCP", "UDP", false, false)]
    [InlineData("UDP", "UDP", false, true)]
    [InlineData("UDP", "TCP_UDP", false, true)]
    [InlineData("UDP", "TCP", false, false)]
    [InlineData("TCPSSL", "TCP", false, true)]
    [InlineData("TCPSSL", "TCP", true, false)]
    [InlineData("TCPSSL", "TCP_UDP", false, false)]
    [InlineData("TCPSSL", "UDP", false, false)]
    public void ServerGroupCompatibility(string listener, string group, bool preserveIp, bool ok)
    {
        Assert.Equal(ok, ListenerRules.IsServerGroupCompatible(listener, new ServerGroupFacts(group, preserveIp)));
        var errors = ListenerRules.Validate(listener, Req(r => r.ServerGroupId = "sgp-1"), new ServerGroupFacts(group, preserveIp));
        Assert.Equal(ok, errors.Count == 0);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1000000, true)]
    [InlineData(1000001, false)]
    public void CpsRange(int cps, bool ok) => Assert.Equal(ok, ListenerRules.Validate("UDP", Req(r => r.Cps = cps)).Count == 0);

    [Theory]
    [InlineData(-1, false)]
    [InlineData(1500, true)]
    [InlineData(1501, false)]
    public void MssRange(int mss, bool ok) => Assert.Equal(ok, ListenerRules.Validate("TCPSSL", Req(r => r.Mss = mss)).Count == 0);
}
