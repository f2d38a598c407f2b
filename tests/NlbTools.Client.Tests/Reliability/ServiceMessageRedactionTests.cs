using System.Text;
using NlbTools.Client.Pipeline;
using Xunit;

namespace NlbTools.Client.Tests.Reliability;

/// <summary>
/// The service's SignatureDoesNotMatch message quotes its canonical request, security token included (the
/// Secrets Pester test found it in error records, $Error and the transcript). The client cuts and masks it.
/// </summary>
public sealed class ServiceMessageRedactionTests
{
    private const string Token = "CAIS-token-canary-0123456789";
    private const string KeyId = "STS.LTAI5tRedactionKey9Z";

    private static NlbException ErrorWith(string code, string message)
    {
        var body = Newtonsoft.Json.JsonConvert.SerializeObject(new { RequestId = "REQ-1", Code = code, Message = message });
        var response = new NlbHttpResponse { StatusCode = 400, Body = Encoding.UTF8.GetBytes(body) };
        return ServiceErrorReader.FromResponse(response, "nlb.cn-hangzhou.aliyuncs.com")!;
    }

    [Fact]
    public void SignatureDoesNotMatch_loses_the_string_to_sign_and_keeps_a_useful_sentence()
    {
        var message = "Specified signature is not matched with our calculation. server string to sign is:ACS3-HMAC-SHA256 " + new string('a', 64) +
                      " canonical request is:POST / x-acs-accesskey-id:" + KeyId + " x-acs-security-token:" + Token + " x-acs-version:2022-04-30";
        var e = ErrorWith("SignatureDoesNotMatch", message);
        Assert.StartsWith("Specified signature is not matched with our calculation.", e.Message);
        Assert.DoesNotContain(Token, e.ToString());
        Assert.DoesNotContain(KeyId, e.ToString());
        Assert.DoesNotContain(new string('a', 64), e.Message);
        Assert.Contains("AccessKeySecret", e.Message);
    }

    [Theory]
    [InlineData("The token x-acs-security-token:" + Token + " is invalid.")]
    [InlineData("Bad request SecurityToken=" + Token + "&AccessKeyId=" + KeyId)]
    public void A_token_or_key_id_anywhere_in_a_message_is_masked(string message)
    {
        var e = ErrorWith("InvalidSecurityToken.Malformed", message);
        Assert.DoesNotContain(Token, e.Message);
        Assert.DoesNotContain(KeyId, e.Message);
        Assert.Contains("****", e.Message);
    }
}
