using System.Text;

namespace NlbTools.Emulator.Api;

/// <summary>Parsing of the query string and form body into name/value pairs, exactly as sent.</summary>
internal static class UrlEncodedForm
{
    /// <summary>
    /// "a=1&amp;b=x%20y" into pairs. '+' means a space (form encoding); a malformed escape stays as sent.
    /// Used for both the query string (without '?') and application/x-www-form-urlencoded bodies.
    /// </summary>
    public static List<KeyValuePair<string, string>> ParseUrlEncoded(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(text)) return pairs;
        if (text[0] == '?') text = text.Substring(1);
        foreach (var part in text.Split('&'))
        {
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part.Substring(0, eq);
            var value = eq < 0 ? "" : part.Substring(eq + 1);
            pairs.Add(new(Decode(key), Decode(value)));
        }
        return pairs;
    }

    private static string Decode(string s)
    {
        s = s.Replace('+', ' ');
        if (s.IndexOf('%') < 0) return s;
        try { return Uri.UnescapeDataString(s); }
        catch (UriFormatException) { return s; }
    }

    public static bool IsForm(string? contentType)
        => contentType != null && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    public static string DecodeBody(byte[] body) => Encoding.UTF8.GetString(body);
}
