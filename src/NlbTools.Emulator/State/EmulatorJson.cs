using Newtonsoft.Json;

namespace NlbTools.Emulator.State;

/// <summary>JSON settings shared by responses, the state file and the control endpoints.</summary>
internal static class EmulatorJson
{
    /// <summary>Responses and views: API names as declared (PascalCase), absent values left out.</summary>
    public static readonly JsonSerializerSettings Output = new()
    {
        NullValueHandling = NullValueHandling.Ignore,
        Formatting = Formatting.None,
    };

    public static readonly JsonSerializer OutputSerializer = JsonSerializer.Create(Output);

    /// <summary>State files: an unknown field is an error (a typo should not silently fall back to a default).</summary>
    public static readonly JsonSerializerSettings StateInput = new()
    {
        MissingMemberHandling = MissingMemberHandling.Error,
        NullValueHandling = NullValueHandling.Ignore,
    };

    public static string Serialize(object value) => JsonConvert.SerializeObject(value, Output);
}
