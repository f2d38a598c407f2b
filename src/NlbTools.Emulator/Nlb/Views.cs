using Newtonsoft.Json.Linq;
using NlbTools.Client.Models;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Nlb;

/// <summary>Wire shapes. Tags differ by operation: Get* use {TagKey, TagValue}, List* use {Key, Value}.</summary>
internal static class Views
{
    public static JObject ToJson(object value) => JObject.FromObject(value, EmulatorJson.OutputSerializer);

    /// <summary>GetListenerAttribute's shape (List* answers serialize the model itself).</summary>
    public static JObject GetListener(Listener l)
    {
        var o = ToJson(l);
        o["Tags"] = GetStyleTags(l.Tags);
        return o;
    }

    public static JObject GetLoadBalancer(LoadBalancer lb)
    {
        var o = ToJson(lb);
        o["Tags"] = GetStyleTags(lb.Tags);
        return o;
    }

    private static JArray GetStyleTags(List<Tag>? tags)
        => new(tags?.Select(t => new JObject { ["TagKey"] = t.Key, ["TagValue"] = t.Value }) ?? Enumerable.Empty<JObject>());

    public sealed record Related(string PolicyId, RelatedListener Listener);

    /// <summary>Every requested tag present (key, and value when one was given).</summary>
    public static bool HasTags(List<Tag>? have, List<Tag>? wanted)
        => wanted == null || wanted.All(w => have != null && have.Any(h => h.Key == w.Key && (w.Value == null || h.Value == w.Value)));
}
