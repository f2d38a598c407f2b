using System.Text;
using NlbTools.Client.Models;
using NlbTools.Client.Signing;
using Xunit;

namespace NlbTools.Client.Tests;

/// <summary>Every signature vector of nlb-api.md §4, plus the encoding and flattening rules of §1.2.</summary>
public class SignatureTests
{
    private static KeyValuePair<string, string> P(string k, string v) => new(k, v);

    [Fact]
    public void V3OfficialDocumentationExample()
    {
        var sig = AcsSignature.ComputeV3("POST", "/",
            new[] { P("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"), P("RegionId", "cn-shanghai") },
            new[]
            {
                P("host", "ecs.cn-shanghai.aliyuncs.com"),
                P("x-acs-action", "RunInstances"),
                P("x-acs-version", "2014-05-26"),
                P("x-acs-date", "2023-10-26T09:01:01Z"),
                P("x-acs-signature-nonce", "d410180a5abf7fe235dd9b74aca91fc0"),
                P("x-acs-content-sha256", AcsSignature.EmptyPayloadHash),
                P("accept", "application/json"), // not signed
            },
            AcsSignature.EmptyPayloadHash, "YourAccessKeySecret");

        Assert.Equal("ACS3-HMAC-SHA256\n29622f5feb1e9fcaaa2e276a72889c975f7b16f00e02be1ca34965b18cd85015", sig.StringToSign);
        Assert.Equal("host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version", sig.SignedHeaders);
        Assert.Equal("e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804", sig.Signature);
    }

    [Fact]
    public void V3OpenApiUtilUnitTestVector()
    {
        var sig = AcsSignature.ComputeV3("GET", "",
            new[] { P("test", "ok"), P("empty", "") },
            new[] { P("x-acs-test", "http"), P("x-acs-TEST", "https") },
            "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23", "secret");

        Assert.Equal("GET\n/\nempty=&test=ok\nx-acs-test:http, https\n\nx-acs-test\n55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
            sig.CanonicalRequest);
        Assert.Equal("ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature=be2046c5e1d69e715fec81597bb8f72330a7eab002d5cacd434dec1cb9be74ab",
            sig.ToAuthorization("acesskey"));
    }

    private static KeyValuePair<string, string>[] NlbHeaders(string action, string payloadHash, bool form)
    {
        var h = new List<KeyValuePair<string, string>>
        {
            P("host", "nlb.cn-hangzhou.aliyuncs.com"),
            P("x-acs-action", action),
            P("x-acs-version", "2022-04-30"),
            P("x-acs-date", "2024-01-01T00:00:00Z"),
            P("x-acs-signature-nonce", "0123456789abcdef"),
            P("x-acs-content-sha256", payloadHash),
            P("user-agent", "NlbTools/0.1.0"), // not signed
        };
        if (form) h.Add(P("Content-Type", AcsSignature.FormContentType));
        return h.ToArray();
    }

    [Fact]
    public void V3DerivedNlbUpdateListenerAttributeVector()
    {
        // Built through the flattening helpers, in the order the vector lists them.
        var body = new List<KeyValuePair<string, string>>();
        body.AddRange(AcsSignature.Flatten("CertificateIds", new List<string> { "cert-1" }));
        body.AddRange(AcsSignature.Flatten("ClientToken", "token-1"));
        body.AddRange(AcsSignature.Flatten("ListenerId", "lsn-abc@443"));
        body.AddRange(AcsSignature.Flatten("ProxyProtocolV2Config", "{\"Ppv2VpcIdEnabled\":true}"));
        body.AddRange(AcsSignature.Flatten("RegionId", "cn-hangzhou"));
        var form = AcsSignature.ToFormString(body);
        Assert.Equal("CertificateIds.1=cert-1&ClientToken=token-1&ListenerId=lsn-abc%40443&ProxyProtocolV2Config=%7B%22Ppv2VpcIdEnabled%22%3Atrue%7D&RegionId=cn-hangzhou", form);

        var hash = AcsSignature.Sha256Hex(Encoding.UTF8.GetBytes(form));
        Assert.Equal("765b14dbb481b983beb40b62af286ad49e91c8f10c525a07496acdfae80fb06d", hash);

        var sig = AcsSignature.ComputeV3("POST", "/", Array.Empty<KeyValuePair<string, string>>(),
            NlbHeaders("UpdateListenerAttribute", hash, form: true), hash, "testsecret");
        Assert.Equal("content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version", sig.SignedHeaders);
        Assert.Equal("ef3581abb50ef8b63e1747c253e3a5bca6f66861d568f3414b1e7bcf16f35dc1", sig.Signature);
    }

    [Fact]
    public void V3DerivedNlbListListenersVector()
    {
        var query = new List<KeyValuePair<string, string>>();
        query.AddRange(AcsSignature.Flatten("RegionId", "cn-hangzhou"));
        query.AddRange(AcsSignature.Flatten("Tag", new List<Tag> { new("env", "prod test") }));
        query.AddRange(AcsSignature.Flatten("MaxResults", 20));
        query.AddRange(AcsSignature.Flatten("ListenerIds", new List<string> { "lsn-a@80", "lsn-b@81" }));

        var sig = AcsSignature.ComputeV3("POST", "/", query,
            NlbHeaders("ListListeners", AcsSignature.EmptyPayloadHash, form: false), AcsSignature.EmptyPayloadHash, "testsecret");
        Assert.Contains("\nListenerIds.1=lsn-a%4080&ListenerIds.2=lsn-b%4081&MaxResults=20&RegionId=cn-hangzhou&Tag.1.Key=env&Tag.1.Value=prod%20test\n", sig.CanonicalRequest);
        Assert.Equal("host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version", sig.SignedHeaders);
        Assert.Equal("c23831e9604f21d7791ee009e1cf818fc508bc9de72b3bf1c34ebae3fb1d47de", sig.Signature);
    }

    private static KeyValuePair<string, string>[] EcsV2Example(string timestampKey) => new[]
    {
        P("AccessKeyId", "testid"), P("Action", "DescribeRegions"), P("Format", "XML"),
        P("SignatureMethod", "HMAC-SHA1"), P("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        P("SignatureVersion", "1.0"), P(timestampKey, "2016-02-23T12:46:24Z"), P("Version", "2014-05-26"),
    };

    [Fact]
    public void V2ClassicEcsExample()
    {
        var sig = AcsSignature.ComputeV2("GET", EcsV2Example("Timestamp"), "testsecret", out var stringToSign);
        Assert.Equal("OLeaidS1JvxuMvnyHOwuJ+uX5qY=", sig);
        Assert.StartsWith("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML", stringToSign);
        Assert.Contains("2016-02-23T12%253A46%253A24Z", stringToSign); // colons double-encoded
    }

    [Fact]
    public void V2ClassicEcsExampleAsPrintedWithTimeStampKey()
    {
        Assert.Equal("CT9X0VtwR86fNWSnsc6v8YGOjuE=", AcsSignature.ComputeV2("GET", EcsV2Example("TimeStamp"), "testsecret", out _));
    }

    [Fact]
    public void V2OpenApiUtilUnitTestVectors()
    {
        Assert.Equal("XlUyV4sXjOuX5FnjUz9IF9tm5rU=", AcsSignature.ComputeV2("GET", new[] { P("query", "test"), P("body", "test") }, "secret", out _));
        Assert.Equal("jHx/oHoHNrbVfhncHEvPdHXZwHU=", AcsSignature.ComputeV2("", new[] { P("test", "ok") }, "accessKeySecret", out _));
    }

    [Fact]
    public void V2IgnoresAnExistingSignatureParameter()
    {
        var with = AcsSignature.ComputeV2("GET", new[] { P("query", "test"), P("body", "test"), P("Signature", "x") }, "secret", out _);
        Assert.Equal("XlUyV4sXjOuX5FnjUz9IF9tm5rU=", with);
    }

    [Fact]
    public void Sha256HexOfTest()
    {
        Assert.Equal("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", AcsSignature.Sha256Hex(Encoding.UTF8.GetBytes("test")));
        Assert.Equal(AcsSignature.EmptyPayloadHash, AcsSignature.Sha256Hex(Array.Empty<byte>()));
    }

    [Theory]
    [InlineData("abcXYZ019-_.~", "abcXYZ019-_.~")]
    [InlineData("a b", "a%20b")]
    [InlineData("a*b", "a%2Ab")]
    [InlineData("a+b", "a%2Bb")]
    [InlineData("lsn-1@443", "lsn-1%40443")]
    [InlineData("/=&:,", "%2F%3D%26%3A%2C")]
    [InlineData("中", "%E4%B8%AD")]
    [InlineData("é", "%C3%A9")]
    [InlineData("", "")]
    public void PercentEncodeFollowsTheOfficialRuntime(string input, string expected)
    {
        Assert.Equal(expected, AcsSignature.PercentEncode(input));
    }

    [Fact]
    public void FlattenListsObjectsBooleansAndNulls()
    {
        Assert.Equal(new[] { P("CertificateIds.1", "c1"), P("CertificateIds.2", "c2") },
            AcsSignature.Flatten("CertificateIds", new List<string> { "c1", "c2" }));
        Assert.Equal(new[] { P("Tag.1.Key", "k1"), P("Tag.1.Value", "v1"), P("Tag.2.Key", "k2") },
            AcsSignature.Flatten("Tag", new List<Tag> { new("k1", "v1"), new("k2", null) }));
        Assert.Equal(new[] { P("CaEnabled", "true") }, AcsSignature.Flatten("CaEnabled", (bool?)true));
        Assert.Equal(new[] { P("DryRun", "false") }, AcsSignature.Flatten("DryRun", false));
        Assert.Equal(new[] { P("Parent.Child", "x") }, AcsSignature.Flatten("Parent", new Dictionary<string, string> { ["Child"] = "x" }));
        Assert.Empty(AcsSignature.Flatten("Missing", null));
        Assert.Empty(AcsSignature.Flatten("Empty", new List<string>())); // an empty list sends nothing, as in the SDKs
    }

    [Fact]
    public void FormStringRoundTrips()
    {
        var pairs = new[] { P("ListenerDescription", "a b*c~ 中"), P("ListenerId", "lsn-1@80"), P("Empty", "") };
        var form = AcsSignature.ToFormString(pairs);
        Assert.Equal("ListenerDescription=a%20b%2Ac~%20%E4%B8%AD&ListenerId=lsn-1%4080&Empty=", form);
        Assert.Equal(pairs, AcsSignature.ParseFormString(form));
    }

    [Fact]
    public void SignatureToStringDoesNotShowTheSignature()
    {
        var sig = AcsSignature.ComputeV3("POST", "/", [], [P("host", "h")], AcsSignature.EmptyPayloadHash, "secret");
        Assert.DoesNotContain(sig.Signature, sig.ToString());
    }

    [Fact]
    public void TimestampHasWholeSecondsInUtc()
    {
        var t = new DateTimeOffset(2024, 1, 1, 8, 0, 0, 123, TimeSpan.FromHours(8));
        Assert.Equal("2024-01-01T00:00:00Z", AcsSignature.FormatTimestamp(t));
    }
}
