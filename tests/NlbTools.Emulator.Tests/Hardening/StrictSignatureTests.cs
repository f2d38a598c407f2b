using System.Globalization;
using System.Net;
using Newtonsoft.Json.Linq;
using NlbTools.Client.Signing;

namespace NlbTools.Emulator.Tests.Hardening;

/// <summary>
/// Issue 15 item 13: the timestamp has exactly one form, a nonce header cannot be split in two to pass as a new
/// nonce, and a Content-Type must be signed when it is sent. Each request is correctly signed otherwise, so the
/// refusal is for that rule alone.
/// </summary>
public sealed class StrictSignatureTests : IAsyncLifetime
{
    private TestEmulator _emu = null!;
    private int Port => new Uri(_emu.Endpoint).Port;

    public async Task InitializeAsync() => _emu = await TestEmulator.StartAsync(jobDurationMs: 0);
    public async Task DisposeAsync() => await _emu.DisposeAsync();

    /// <summary>The current instant in forms the parser of old accepted.</summary>
    public static TheoryData<string> LooseDates => new()
    {
        "r",                                 // RFC 1123: Wed, 02 Dec 2026 10:00:00 GMT
        "MM/dd/yyyy HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:sszzz",          // an offset, +00:00
        "yyyy-MM-dd'T'HH:mm:ss'+08:00'",     // another zone (the instant shifted to match below)
        "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
        "yyyy-MM-dd HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm'Z'",
    };

    private static Func<DateTimeOffset, string> Format(string format) => now =>
        format.Contains("+08:00", StringComparison.Ordinal)
            ? now.ToOffset(TimeSpan.FromHours(8)).ToString(format, CultureInfo.InvariantCulture)
            : now.UtcDateTime.ToString(format, CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(LooseDates))]
    public async Task A_signed_x_acs_date_in_another_format_is_IllegalTimestamp(string format)
    {
        var answer = await _emu.CallAsync("ListListeners", new { RegionId = "cn-hangzhou" }, options: new CallOptions { FormatDate = Format(format) });
        Assert.True(answer.Code == "IllegalTimestamp", answer.Raw);
        Assert.Contains("yyyy-MM-ddTHH:mm:ssZ", answer.Message);
    }

    [Theory]
    [MemberData(nameof(LooseDates))]
    public async Task A_signed_V2_Timestamp_in_another_format_is_IllegalTimestamp(string format)
    {
        var answer = await _emu.CallAsync("ListListeners", new { RegionId = "cn-hangzhou" }, signer: Signer.DemoV2, options: new CallOptions { FormatDate = Format(format) });
        Assert.True(answer.Code == "IllegalTimestamp", answer.Raw);
    }

    [Fact]
    public async Task The_one_format_is_accepted_in_both_signatures()
    {
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("ListListeners", new { RegionId = "cn-hangzhou" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await _emu.CallAsync("ListListeners", new { RegionId = "cn-hangzhou" }, signer: Signer.DemoV2)).Status);
    }

    [Fact]
    public async Task A_nonce_split_into_two_headers_is_refused_so_a_used_nonce_cannot_be_replayed()
    {
        // Signed once with the nonce "a1b2c3, d4e5f6"; the canonical headers of two nonce headers "a1b2c3" and
        // "d4e5f6" are the same, so the split copy carries a valid signature.
        var original = _emu.BuildRequest("ListListeners", "2022-04-30", TestEmulator.ToPairs(new { RegionId = "cn-hangzhou" }), new(), Signer.Demo,
            new CallOptions { Nonce = "a1b2c3, d4e5f6" + Guid.NewGuid().ToString("N") });
        var text = await RawHttp.ToTextAsync(original, "127.0.0.1:" + Port);
        var (first, firstBody) = await RawHttp.SendAsync(Port, text);
        Assert.True(first == 200, firstBody);

        var split = await RawHttp.ToTextAsync(original, "127.0.0.1:" + Port, (name, value) =>
            name.Equals("x-acs-signature-nonce", StringComparison.OrdinalIgnoreCase) ? value.Split(", ") : new[] { value });
        Assert.Contains("x-acs-signature-nonce: a1b2c3\r\nx-acs-signature-nonce: d4e5f6", split);
        var (status, body) = await RawHttp.SendAsync(Port, split);
        Assert.Equal(400, status);
        Assert.Equal("IncompleteSignature", (string?)JObject.Parse(body)["Code"]);
        Assert.Contains("x-acs-signature-nonce", (string?)JObject.Parse(body)["Message"]);

        // And sent again as it was, it is the replay it is.
        var (again, againBody) = await RawHttp.SendAsync(Port, text);
        Assert.Equal("SignatureNonceUsed", (string?)JObject.Parse(againBody)["Code"]);
    }

    [Theory]
    [InlineData("x-acs-date")]
    [InlineData("x-acs-content-sha256")]
    [InlineData("Authorization")]
    public async Task Other_signature_headers_sent_twice_are_refused(string header)
    {
        var request = _emu.BuildRequest("ListListeners", "2022-04-30", TestEmulator.ToPairs(new { RegionId = "cn-hangzhou" }), new(), Signer.Demo, new CallOptions());
        var text = await RawHttp.ToTextAsync(request, "127.0.0.1:" + Port, (name, value) =>
            name.Equals(header, StringComparison.OrdinalIgnoreCase) ? new[] { value, value } : new[] { value });
        var (status, body) = await RawHttp.SendAsync(Port, text);
        Assert.Equal(400, status);
        Assert.Equal("IncompleteSignature", (string?)JObject.Parse(body)["Code"]);
    }

    [Fact]
    public async Task A_V2_SignatureNonce_given_twice_is_refused()
    {
        var answer = await _emu.CallAsync("ListListeners", query: new Dictionary<string, string> { ["RegionId"] = "cn-hangzhou" }, signer: Signer.DemoV2,
            options: new CallOptions { AfterSigning = r => r.RequestUri = new Uri(r.RequestUri!.OriginalString + "&SignatureNonce=another", UriKind.Relative) });
        Assert.Equal("IncompleteSignature", answer.Code);
        Assert.Contains("SignatureNonce", answer.Message);
    }

    [Fact]
    public async Task A_Content_Type_left_out_of_SignedHeaders_is_refused()
    {
        var answer = await _emu.CallAsync("ListListeners", new { RegionId = "cn-hangzhou" }, options: new CallOptions { SignContentType = false });
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("IncompleteSignature", answer.Code);
        Assert.Contains("content-type", answer.Message);
    }

    [Fact]
    public async Task Our_client_signs_what_the_stricter_checks_ask_for()
    {
        using var client = new NlbTools.Client.NlbClient(new NlbTools.Client.NlbClientOptions
        {
            Endpoint = new Uri(_emu.Endpoint), RegionId = "cn-hangzhou",
            Credentials = new NlbTools.Client.Credentials.StaticCredentialsProvider(State.DemoState.AccessKeyId, State.DemoState.AccessKeySecret), MaxAttempts = 1,
        });
        var page = await client.ListListenersAsync(new NlbTools.Client.Models.ListListenersRequest { RegionId = "cn-hangzhou" });
        Assert.NotEmpty(page.Listeners);
        var entry = (JObject)((JArray)await _emu.ControlAsync("requests")).Last!;
        Assert.Equal(200, (int)entry["HttpStatus"]!);
        Assert.Equal("V3", (string?)entry["SignatureVersion"]);
    }
}
