using System.Globalization;
using System.Text;

namespace NlbTools.Client.Pipeline
{
    /// <summary>
    /// Text an endpoint sent (error codes, messages, request ids) on its way to an ErrorRecord, a log line or a
    /// terminal: control characters (ESC sequences, CR/LF, the C1 range) and bidirectional overrides are
    /// removed (line breaks become spaces), and the text is cut to a bounded length.
    /// </summary>
    public static class ServiceText
    {
        /// <summary>A service message: the longest real ones (SignatureDoesNotMatch) are under 1 KB.</summary>
        public const int MaxMessageChars = 4096;
        /// <summary>A code, a request id, a host id.</summary>
        public const int MaxTokenChars = 256;

        /// <summary>Null when nothing printable is left.</summary>
        public static string? Clean(string? text, int maxChars)
        {
            if (text == null || text.Length == 0) return null;
            var sb = new StringBuilder(text.Length < maxChars ? text.Length : maxChars + 64);
            var kept = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\r' || c == '\n' || c == '\t' || c == '\u2028' || c == '\u2029')
                {
                    if (sb.Length == 0 || sb[sb.Length - 1] == ' ') continue; // a line break becomes one space
                    c = ' ';
                }
                else if (char.IsControl(c) || IsBidiControl(c)) continue;

                // The low half of a surrogate pair always follows its high half, so a pair is never cut.
                if (kept >= maxChars && !char.IsLowSurrogate(c))
                {
                    var left = text.Length - i;
                    sb.Append(" ... (").Append(left.ToString(CultureInfo.InvariantCulture)).Append(" more characters not shown)");
                    return sb.ToString();
                }
                sb.Append(c);
                kept++;
            }
            return sb.Length == 0 ? null : sb.ToString().TrimEnd(' ');
        }

        /// <summary>Characters that reorder what a terminal shows (U+202A..U+202E, U+2066..U+2069, U+200E/F).</summary>
        private static bool IsBidiControl(char c)
            => (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F';
    }
}
