using System.Globalization;
using NlbTools.Client.Models;
using Newtonsoft.Json.Linq;

namespace NlbTools.Emulator.Api;

/// <summary>Typed reads of the merged RPC parameters; a malformed value is a 400 with a code, never a 500.</summary>
internal sealed class ParameterReader
{
    private readonly IReadOnlyDictionary<string, string> _values;

    public ParameterReader(IReadOnlyDictionary<string, string> values) => _values = values;

    public IReadOnlyDictionary<string, string> Values => _values;

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The value, or null when absent. An empty value counts as absent (the C# runtime drops them).</summary>
    public string? String(string name)
        => _values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public string Required(string name) => String(name) ?? throw ApiError.MissingParameter(name);

    public int? Int(string name)
    {
        var raw = String(name);
        if (raw == null) return null;
        if (int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        throw ApiError.InvalidParameter(name, $"'{Shorten(raw)}' is not an integer.");
    }

    /// <summary>Case-insensitive: the official C# runtime sends True/False, the others true/false.</summary>
    public bool? Bool(string name)
    {
        var raw = String(name);
        if (raw == null) return null;
        if (bool.TryParse(raw.Trim(), out var value)) return value;
        throw ApiError.InvalidParameter(name, $"'{Shorten(raw)}' is not a boolean (true or false).");
    }

    /// <summary>A list flattened as Name.1, Name.2, ... (1-based), in index order.</summary>
    public List<string>? List(string name, int? maxCount = null)
    {
        var prefix = name + ".";
        List<(int Index, string Value)>? items = null;
        foreach (var (key, value) in _values)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (!int.TryParse(key.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index < 1)
                throw ApiError.InvalidParameter(key, "a list item needs a positive index, e.g. " + name + ".1.");
            (items ??= new()).Add((index, value));
        }
        if (items == null) return null;
        if (maxCount is int max && items.Count > max)
            throw ApiError.InvalidParameter(name, $"at most {max} items are allowed; {items.Count} were given.");
        return items.OrderBy(i => i.Index).Select(i => i.Value).ToList();
    }

    /// <summary>Tag.N.Key / Tag.N.Value.</summary>
    public List<Tag>? Tags(string name = "Tag", int maxCount = 20)
    {
        var prefix = name + ".";
        var byIndex = new SortedDictionary<int, Tag>();
        foreach (var (key, value) in _values)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = key.Substring(prefix.Length);
            var dot = rest.IndexOf('.');
            if (dot <= 0 || !int.TryParse(rest.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index < 1)
                throw ApiError.InvalidParameter(key, $"expected {name}.N.Key or {name}.N.Value.");
            var field = rest.Substring(dot + 1);
            if (!byIndex.TryGetValue(index, out var tag)) byIndex[index] = tag = new Tag();
            if (field == "Key") tag.Key = value;
            else if (field == "Value") tag.Value = value;
            else throw ApiError.InvalidParameter(key, $"expected {name}.N.Key or {name}.N.Value.");
        }
        if (byIndex.Count == 0) return null;
        if (byIndex.Count > maxCount) throw ApiError.InvalidParameter(name, $"at most {maxCount} tags are allowed.");
        foreach (var (index, tag) in byIndex)
            if (string.IsNullOrEmpty(tag.Key)) throw ApiError.MissingParameter($"{name}.{index}.Key");
        return byIndex.Values.ToList();
    }

    /// <summary>
    /// ProxyProtocolV2Config arrives as one JSON string field (the SDK's "shrink" form). A caller that
    /// flattens it (ProxyProtocolV2Config.Ppv2VpcIdEnabled=true) is accepted too.
    /// </summary>
    public ProxyProtocolV2Config? ProxyProtocolV2(string name = "ProxyProtocolV2Config")
    {
        var raw = String(name);
        if (raw != null)
        {
            JObject obj;
            try { obj = JObject.Parse(raw); }
            catch (Newtonsoft.Json.JsonException) { throw ApiError.InvalidParameter(name, "expected a JSON object such as {\"Ppv2VpcIdEnabled\":true}."); }
            var config = new ProxyProtocolV2Config();
            foreach (var prop in obj.Properties())
            {
                var value = JsonBool(name + "." + prop.Name, prop.Value);
                switch (prop.Name)
                {
                    case "Ppv2PrivateLinkEpIdEnabled": config.Ppv2PrivateLinkEpIdEnabled = value; break;
                    case "Ppv2PrivateLinkEpsIdEnabled": config.Ppv2PrivateLinkEpsIdEnabled = value; break;
                    case "Ppv2VpcIdEnabled": config.Ppv2VpcIdEnabled = value; break;
                    default: throw ApiError.InvalidParameter(name, $"unknown member '{prop.Name}'.");
                }
            }
            return config;
        }
        var ep = Bool(name + ".Ppv2PrivateLinkEpIdEnabled");
        var eps = Bool(name + ".Ppv2PrivateLinkEpsIdEnabled");
        var vpc = Bool(name + ".Ppv2VpcIdEnabled");
        if (ep == null && eps == null && vpc == null) return null;
        return new ProxyProtocolV2Config { Ppv2PrivateLinkEpIdEnabled = ep, Ppv2PrivateLinkEpsIdEnabled = eps, Ppv2VpcIdEnabled = vpc };
    }

    private static bool? JsonBool(string name, JToken token)
    {
        switch (token.Type)
        {
            case JTokenType.Null: return null;
            case JTokenType.Boolean: return token.Value<bool>();
            case JTokenType.String when bool.TryParse(token.Value<string>(), out var b): return b;
            default: throw ApiError.InvalidParameter(name, "expected true or false.");
        }
    }

    private static string Shorten(string value) => value.Length <= 64 ? value : value.Substring(0, 64) + "...";
}
