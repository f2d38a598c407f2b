using System.Globalization;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// Credential values go into HTTP headers (x-acs-accesskey-id, x-acs-security-token) and signatures, so a
    /// control character (CR/LF would start a new header) is refused wherever the value came from: parameters,
    /// variables, files, an external command, STS, the metadata service or a credentials URI.
    /// </summary>
    public static class CredentialValues
    {
        public const string InvalidValueErrorId = "NlbCredentialsInvalidValue";

        /// <summary>Throws NlbCredentialsException naming the field and the source, never the value.</summary>
        public static void Check(string field, string? value, string source)
        {
            if (value == null) return;
            foreach (var c in value)
            {
                if (!char.IsControl(c) && c != '\u2028' && c != '\u2029') continue;
                var code = ((int)c).ToString("X4", CultureInfo.InvariantCulture);
                throw new NlbCredentialsException(
                    $"The {field} from '{source}' contains a control character (U+{code}); control characters could inject HTTP headers, "
                    + $"so the credentials were refused and nothing was sent (the value is not shown). Check where the {field} is set.")
                {
                    ErrorId = InvalidValueErrorId,
                };
            }
        }
    }
}
