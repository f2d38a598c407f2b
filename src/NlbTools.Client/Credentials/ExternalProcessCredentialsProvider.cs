using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// The aliyun CLI's External mode: runs process_command and reads {"mode": "AK"|"StsToken", "access_key_id",
    /// "access_key_secret", "sts_token", "expiration"} from its standard output. The command runs with a
    /// timeout that bounds the whole fetch, its output included (BoundedProcess); its output and its standard
    /// error are never shown (they may hold the secret).
    /// Credentials with an expiration are cached and refreshed 180 s ahead; without one, they are kept.
    /// </summary>
    public sealed class ExternalProcessCredentialsProvider : ICredentialsProvider
    {
        private readonly string _fileName;
        private readonly IReadOnlyList<string> _arguments;
        private readonly CredentialsEnvironment _env;
        private readonly RefreshingCredentials _cache;

        public ExternalProcessCredentialsProvider(string processCommand, CredentialsEnvironment env, string? source = null)
        {
            var words = SplitCommand(processCommand ?? "");
            if (words.Count == 0) throw new NlbCredentialsException("process_command is empty.");
            _fileName = words[0];
            words.RemoveAt(0);
            _arguments = words;
            _env = env;
            Source = source ?? "external:" + Path.GetFileName(_fileName);
            _cache = new RefreshingCredentials(FetchAsync, env.Clock);
        }

        public string Source { get; }

        public Task<NlbCredentials> GetCredentialsAsync(CancellationToken cancellationToken) => _cache.GetAsync(cancellationToken);

        private async Task<NlbCredentials> FetchAsync(CancellationToken cancellationToken)
        {
            var where = $"the external command {Path.GetFileName(_fileName)}";
            var start = new ProcessStartInfo(_fileName)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                CreateNoWindow = true,
            };
            start.Arguments = string.Join(" ", _arguments.Select(QuoteArgument)); // netstandard2.0 has no ArgumentList

            var run = await BoundedProcess.RunAsync(start, _env.ProcessTimeout, where).ConfigureAwait(false);
            if (run.TimedOut)
                throw new NlbCredentialsException($"{where} did not finish within {_env.ProcessTimeout.TotalSeconds:0.#} s and was stopped.");
            if (run.ExitCode != 0)
                throw new NlbCredentialsException($"{where} exited with code {run.ExitCode} (its output is not shown: it may hold secrets).");
            if (run.OutputTooLarge)
                throw new NlbCredentialsException($"{where} printed more than {BoundedProcess.MaxOutputChars / 1024} KB (its output is not shown).");
            var output = run.Output;

            JObject json;
            try { json = (JObject)CredentialsHttp.ParseToken(output); }
            catch (Exception) { throw new NlbCredentialsException($"{where} did not print a JSON object (its output is not shown)."); }
            var mode = (string?)json["mode"];
            if (mode == "StsToken" && string.IsNullOrEmpty((string?)json["sts_token"]))
                throw new NlbCredentialsException($"{where} answered mode StsToken without sts_token.");
            return CredentialsHttp.ReadCredentials(json, "access_key_id", "access_key_secret", "sts_token", "expiration", Source, where, expirationRequired: false);
        }

        /// <summary>Words separated by white space, as the CLI splits process_command; double quotes group a word with spaces.</summary>
        internal static List<string> SplitCommand(string command)
        {
            var words = new List<string>();
            var word = new StringBuilder();
            bool quoted = false, any = false;
            foreach (var c in command)
            {
                if (c == '"') { quoted = !quoted; any = true; continue; }
                if (char.IsWhiteSpace(c) && !quoted)
                {
                    if (any) words.Add(word.ToString());
                    word.Clear();
                    any = false;
                    continue;
                }
                word.Append(c);
                any = true;
            }
            if (any) words.Add(word.ToString());
            return words;
        }

        /// <summary>Quotes one argument so that .NET's own command-line parsing (all platforms) gives it back unchanged.</summary>
        internal static string QuoteArgument(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"' }) < 0) return argument;
            var quoted = new StringBuilder("\"");
            var backslashes = 0;
            foreach (var c in argument)
            {
                if (c == '\\') { backslashes++; continue; }
                if (c == '"') quoted.Append('\\', backslashes * 2 + 1).Append('"');
                else quoted.Append('\\', backslashes).Append(c);
                backslashes = 0;
            }
            return quoted.Append('\\', backslashes * 2).Append('"').ToString();
        }

        public override string ToString() => Source;
    }
}
