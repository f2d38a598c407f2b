using System.Text;
using NlbTools.Emulator.Auth;
using ClientSigner = NlbTools.Client.Signing.AcsSignature;

namespace NlbTools.Emulator.Tests;

/// <summary>The emulator's own signature code against the official vectors (reference/nlb-api.md §4).</summary>
public class SignatureVectorTests
{
    private static KeyValuePair<string, string> P(string k, string v) => new(k, v);

    [Fact]
    public void V3_official_documentation_example()
    {
        var headers = new[]
        {
            P("host", "ecs.cn-shanghai.aliyuncs.com"), P("x-acs-action", "RunInstances"), P("x-acs-version", "2014-05-26"),
            P("x-acs-date", "2023-10-26T09:01:01Z"), P("x-acs-signature-nonce", "d410180a5abf7fe235dd9b74aca91fc0"),
            P("x-acs-content-sha256", AcsSigning.EmptyBodySha256),
        };
        var query = new[] { P("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"), P("RegionId", "cn-shanghai") };
        var s = AcsSigning.ComputeV3("POST", "/", query, headers, AcsSigning.EmptyBodySha256, "YourAccessKeySecret");
        Assert.Equal("ACS3-HMAC-SHA256\n29622f5feb1e9fcaaa2e276a72889c975f7b16f00e02be1ca34965b18cd85015", s.StringToSign);
        Assert.Equal("e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804", s.Signature);
        Assert.Equal("host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version", s.SignedHeaders);
    }

    [Fact]
    public void V3_openapi_util_unit_test_vector_with_duplicate_header_and_empty_query_value()
    {
        var s = AcsSigning.ComputeV3("GET", "", new[] { P("test", "ok"), P("empty", "") },
            new[] { P("x-acs-test", "http"), P("x-acs-TEST", "https") },
            "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23", "secret");
        Assert.Equal("GET\n/\nempty=&test=ok\nx-acs-test:http, https\n\nx-acs-test\n55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23", s.CanonicalRequest);
        Assert.Equal("be2046c5e1d69e715fec81597bb8f72330a7eab002d5cacd434dec1cb9be74ab", s.Signature);
    }

    private static readonly KeyValuePair<string, string>[] NlbCommon =
    {
        P("host", "nlb.cn-hangzhou.aliyuncs.com"), P("x-acs-version", "2022-04-30"),
        P("x-acs-date", "2024-01-01T00:00:00Z"), P("x-acs-signature-nonce", "0123456789abcdef"),
    };

    [Fact]
    public void V3_derived_nlb_vector_UpdateListenerAttribute_form_body()
    {
        var body = "CertificateIds.1=cert-1&ClientToken=token-1&ListenerId=lsn-abc%40443&ProxyProtocolV2Config=%7B%22Ppv2VpcIdEnabled%22%3Atrue%7D&RegionId=cn-hangzhou";
        var hash = AcsSigning.Sha256Hex(Encoding.UTF8.GetBytes(body));
        Assert.Equal("765b14dbb481b983beb40b62af286ad49e91c8f10c525a07496acdfae80fb06d", hash);
        var headers = NlbCommon.Append(P("x-acs-action", "UpdateListenerAttribute")).Append(P("x-acs-content-sha256", hash)).Append(P("content-type", "application/x-www-form-urlencoded"));
        var s = AcsSigning.ComputeV3("POST", "/", Array.Empty<KeyValuePair<string, string>>(), headers, hash, "testsecret");
        Assert.Equal("ef3581abb50ef8b63e1747c253e3a5bca6f66861d568f3414b1e7bcf16f35dc1", s.Signature);
    }

    [Fact]
    public void V3_derived_nlb_vector_ListListeners_query()
    {
        var headers = NlbCommon.Append(P("x-acs-action", "ListListeners")).Append(P("x-acs-content-sha256", AcsSigning.EmptyBodySha256));
        var query = new[]
        {
            P("RegionId", "cn-hangzhou"), P("MaxResults", "20"), P("ListenerIds.1", "lsn-a@80"), P("ListenerIds.2", "lsn-b@81"),
            P("Tag.1.Key", "env"), P("Tag.1.Value", "prod test"),
        };
        var s = AcsSigning.ComputeV3("POST", "/", query, headers, AcsSigning.EmptyBodySha256, "testsecret");
        Assert.Contains("\nListenerIds.1=lsn-a%4080&ListenerIds.2=lsn-b%4081&MaxResults=20&RegionId=cn-hangzhou&Tag.1.Key=env&Tag.1.Value=prod%20test\n", s.CanonicalRequest);
        Assert.Equal("c23831e9604f21d7791ee009e1cf818fc508bc9de72b3bf1c34ebae3fb1d47de", s.Signature);
    }

    [Theory]
    [InlineData("Timestamp", "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")]
    [InlineData("TimeStamp", "CT9X0VtwR86fNWSnsc6v8YGOjuE=")]
    public void V2_classic_ecs_documentation_example(string timestampKey, string expected)
    {
        var parameters = new[]
        {
            P("AccessKeyId", "testid"), P("Action", "DescribeRegions"), P("Format", "XML"), P("SignatureMethod", "HMAC-SHA1"),
            P("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"), P("SignatureVersion", "1.0"),
            P(timestampKey, "2016-02-23T12:46:24Z"), P("Version", "2014-05-26"),
        };
        Assert.Equal(expected, AcsSigning.ComputeV2("GET", parameters, "testsecret", out var stringToSign));
        Assert.StartsWith("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML", stringToSign);
        Assert.Contains("%253A", stringToSign);
    }

    [Fact]
    public void V2_openapi_util_test_vectors()
    {
        Assert.Equal("XlUyV4sXjOuX5FnjUz9IF9tm5rU=", AcsSigning.ComputeV2("GET", new[] { P("query", "test"), P("body", "test") }, "secret", out _));
        Assert.Equal("jHx/oHoHNrbVfhncHEvPdHXZwHU=", AcsSigning.ComputeV2("", new[] { P("test", "ok") }, "accessKeySecret", out _));
    }

    [Fact]
    public void V2_ignores_the_Signature_parameter_itself()
    {
        var a = AcsSigning.ComputeV2("GET", new[] { P("test", "ok") }, "accessKeySecret", out _);
        var b = AcsSigning.ComputeV2("GET", new[] { P("test", "ok"), P("Signature", "whatever") }, "accessKeySecret", out _);
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("a b*c~d", "a%20b%2Ac~d")]
    [InlineData("lsn-abc@443", "lsn-abc%40443")]
    [InlineData("中", "%E4%B8%AD")]
    [InlineData("A-Z_a.z~0", "A-Z_a.z~0")]
    public void PercentEncode_follows_rfc3986_utf8(string input, string expected) => Assert.Equal(expected, AcsSigning.PercentEncode(input));

    [Fact]
    public void Sha256_hex_of_test() => Assert.Equal("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", AcsSigning.Sha256Hex(Encoding.UTF8.GetBytes("test")));

    /// <summary>The two independent implementations agree on awkward input (both also meet the vectors above).</summary>
    [Fact]
    public void Emulator_and_client_signers_agree_on_unusual_values()
    {
        var query = new[] { P("Tag.1.Value", "a+b c*d~e/f?g=h&i"), P("Name", "中文") };
        var headers = new[] { P("host", "127.0.0.1:1234"), P("x-acs-date", "2024-01-01T00:00:00Z"), P("content-type", "application/x-www-form-urlencoded") };
        var mine = AcsSigning.ComputeV3("POST", "/", query, headers, AcsSigning.EmptyBodySha256, "s3cr3t");
        var theirs = ClientSigner.ComputeV3("POST", "/", query, headers, AcsSigning.EmptyBodySha256, "s3cr3t");
        Assert.Equal(theirs.CanonicalRequest, mine.CanonicalRequest);
        Assert.Equal(theirs.Signature, mine.Signature);
        Assert.Equal(ClientSigner.ComputeV2("POST", query, "s3cr3t", out _), AcsSigning.ComputeV2("POST", query, "s3cr3t", out _));
    }
}
