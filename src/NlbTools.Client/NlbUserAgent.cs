using System.Reflection;
using System.Runtime.InteropServices;

namespace NlbTools.Client
{
    /// <summary>NlbTools/&lt;version&gt; (&lt;os&gt;; &lt;runtime&gt;), the version being the assembly's (one source: Directory.Build.props).</summary>
    public static class NlbUserAgent
    {
        public static readonly string Version = ReadVersion();

        public static readonly string Value =
            $"NlbTools/{Version} ({Clean(RuntimeInformation.OSDescription)}; {Clean(RuntimeInformation.FrameworkDescription)})";

        public static string With(string? suffix) => string.IsNullOrWhiteSpace(suffix) ? Value : Value + " " + suffix!.Trim();

        private static string ReadVersion()
        {
            var assembly = typeof(NlbUserAgent).Assembly;
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            if (!string.IsNullOrEmpty(informational))
            {
                var plus = informational!.IndexOf('+'); // drop the source-revision suffix
                return plus < 0 ? informational : informational.Substring(0, plus);
            }
            return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }

        // A header value must be one line; the characters that would end a comment go too.
        private static string Clean(string s) => s.Replace('\r', ' ').Replace('\n', ' ').Replace('(', '[').Replace(')', ']').Replace(';', ',').Trim();
    }
}
