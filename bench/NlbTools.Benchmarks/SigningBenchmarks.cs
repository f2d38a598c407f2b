using System.Text;
using BenchmarkDotNet.Attributes;
using NlbTools.Client;
using NlbTools.Client.Credentials;
using NlbTools.Client.Pipeline;
using NlbTools.Client.Signing;

namespace NlbTools.Benchmarks;

/// <summary>
/// The per-attempt signing cost of a typical write: an UpdateListenerAttribute request shaped exactly as
/// NlbClient builds it (form body, x-acs-* headers), signed by the real SigningPolicy (body hash, fresh date
/// and nonce, ACS3-HMAC-SHA256) and by AcsSignature.ComputeV3 alone.
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private static readonly Func<Task> s_next = () => Task.CompletedTask;
    private readonly SigningPolicy _policy = new(new StaticCredentialsProvider("LTAI5tBenchmarkKey000000", "BenchmarkSecret0000000000000000"), SystemClock.Instance);
    private NlbHttpRequest _request = null!;
    private List<KeyValuePair<string, string>> _query = null!;
    private string _payloadHash = "";

    [GlobalSetup]
    public void Setup()
    {
        var body = new List<KeyValuePair<string, string>>();
        body.AddRange(AcsSignature.Flatten("CertificateIds", new[] { "12315790-cn-hangzhou" }));
        body.AddRange(AcsSignature.Flatten("ClientToken", "0c593ea1-3bea-11e9-b96b-88e9fe637760"));
        body.AddRange(AcsSignature.Flatten("IdleTimeout", 300));
        body.AddRange(AcsSignature.Flatten("ListenerDescription", "web-https (bench)"));
        body.AddRange(AcsSignature.Flatten("ListenerId", "lsn-hzweb01@443"));
        body.AddRange(AcsSignature.Flatten("RegionId", "cn-hangzhou"));
        _query = new List<KeyValuePair<string, string>>();
        _request = new NlbHttpRequest { Method = "POST", Uri = new Uri("https://nlb.cn-hangzhou.aliyuncs.com/") };
        _request.Headers["x-acs-action"] = "UpdateListenerAttribute";
        _request.Headers["x-acs-version"] = NlbClient.ApiVersion;
        _request.Headers["Accept"] = "application/json";
        _request.Headers["User-Agent"] = "AlibabaCloud (Linux; X64) NlbTools/0.1.0";
        _request.Headers["Content-Type"] = AcsSignature.FormContentType;
        _request.Body = Encoding.UTF8.GetBytes(AcsSignature.ToFormString(body));
        _payloadHash = AcsSignature.Sha256Hex(_request.Body);
        SignRequest().GetAwaiter().GetResult();
    }

    /// <summary>What every attempt pays: SigningPolicy.ProcessAsync with a no-op transport behind it.</summary>
    [Benchmark(Baseline = true)]
    public Task SignRequest()
        => _policy.ProcessAsync(new NlbMessage("UpdateListenerAttribute", true, _request, _query, CancellationToken.None), s_next);

    /// <summary>The signature computation alone (canonical request, SHA-256, HMAC), headers already in place.</summary>
    [Benchmark]
    public string ComputeV3()
        => AcsSignature.ComputeV3("POST", "/", _query, _request.Headers, _payloadHash, "BenchmarkSecret0000000000000000").Signature;
}
