using Microsoft.AspNetCore.Http;

namespace NlbTools.Emulator.Api;

/// <summary>An RPC request as received: method, raw query and form pairs, body bytes and headers.</summary>
internal sealed class RpcCall
{
    public RpcCall(string method, string path, List<KeyValuePair<string, string>> query, List<KeyValuePair<string, string>> form, byte[] body, IHeaderDictionary headers)
    {
        Method = method;
        Path = path;
        Query = query;
        Form = form;
        Body = body;
        Headers = headers;
        // The service reads an RPC parameter from the query or the form body (terraform sends everything in
        // the body, the SDKs split them); the body wins when both carry one.
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in query) merged[k] = v;
        foreach (var (k, v) in form) merged[k] = v;
        Parameters = merged;
        Action = Header("x-acs-action") ?? Param("Action");
        Version = Header("x-acs-version") ?? Param("Version");
    }

    public string Method { get; }
    public string Path { get; }
    public List<KeyValuePair<string, string>> Query { get; }
    public List<KeyValuePair<string, string>> Form { get; }
    public byte[] Body { get; }
    public IHeaderDictionary Headers { get; }
    public IReadOnlyDictionary<string, string> Parameters { get; }
    public string? Action { get; }
    public string? Version { get; }

    public string? Header(string name)
    {
        var v = Headers[name];
        return v.Count == 0 ? null : v.ToString();
    }

    private string? Param(string name) => Parameters.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
}
