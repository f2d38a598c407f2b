using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using NlbTools.Client;
using NlbTools.Session;

namespace NlbTools.Completers
{
    /// <summary>One completion value with the tooltip shown next to it.</summary>
    internal readonly struct Suggestion
    {
        public Suggestion(string value, string? tooltip = null)
        {
            Value = value;
            Tooltip = string.IsNullOrEmpty(tooltip) ? value : tooltip!;
        }

        public string Value { get; }
        public string Tooltip { get; }
    }

    /// <summary>
    /// Completion from the API with a short cache and a hard time limit. A completer never shows an error at
    /// the prompt: anything that goes wrong (no credentials, no network, too slow) completes nothing.
    /// </summary>
    public abstract class CachedCompleter : IArgumentCompleter
    {
        internal static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(2);
        internal static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);
        private static readonly ConcurrentDictionary<string, (DateTime Expires, IReadOnlyList<Suggestion> Values)> s_cache =
            new ConcurrentDictionary<string, (DateTime, IReadOnlyList<Suggestion>)>(StringComparer.Ordinal);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var word = (wordToComplete ?? "").Trim('\'', '"');
                return Suggest(fakeBoundParameters)
                    .Where(s => s.Value.StartsWith(word, StringComparison.OrdinalIgnoreCase) && !HasControlCharacter(s.Value))
                    .Select(s => new CompletionResult(QuoteIfNeeded(s.Value), s.Value, CompletionResultType.ParameterValue, s.Tooltip))
                    .ToList();
            }
            catch (Exception)
            {
                // Never an error at the prompt.
                return Array.Empty<CompletionResult>();
            }
        }

        internal abstract IEnumerable<Suggestion> Suggest(IDictionary fakeBoundParameters);

        /// <summary>Forget every cached answer (after Set-NlbListenerAttribute), so no tooltip shows a value that changed.</summary>
        internal static void Invalidate() => s_cache.Clear();

        /// <summary>Cached values, or a fetch that gets at most <see cref="TimeLimit"/>; nothing when it fails.</summary>
        internal static IReadOnlyList<Suggestion> Cached(string key, Func<CancellationToken, Task<IReadOnlyList<Suggestion>>> fetch)
        {
            if (s_cache.TryGetValue(key, out var hit) && hit.Expires > DateTime.UtcNow) return hit.Values;
            // Not disposed: the fetch may still hold the token after we stop waiting; its timer cancels the fetch.
            var cts = new CancellationTokenSource(TimeLimit);
            var token = cts.Token;
            var task = Task.Run(() => fetch(token), token);
            try
            {
                if (!task.Wait(TimeLimit)) return hit.Values ?? Array.Empty<Suggestion>();
            }
            catch (AggregateException)
            {
                return hit.Values ?? Array.Empty<Suggestion>();
            }
            s_cache[key] = (DateTime.UtcNow + CacheLifetime, task.Result);
            return task.Result;
        }

        /// <summary>
        /// The client the cmdlet itself would use, from the parameters typed so far and the session (the same
        /// <see cref="TargetResolver"/> as the cmdlets). The client is not leased: a completion that races a
        /// Disconnect-Nlb fails, and a failed completion offers nothing, which is all a completer may do.
        /// </summary>
        internal static (NlbClient Client, string? RegionId, string Key)? ResolveClient(IDictionary fakeBoundParameters)
        {
            var endpointText = Text(fakeBoundParameters, "Endpoint");
            var call = new TargetRequest
            {
                RegionId = Text(fakeBoundParameters, "RegionId") ?? Text(fakeBoundParameters, "Region"),
                Profile = Text(fakeBoundParameters, "Profile"),
                Endpoint = endpointText != null && Uri.TryCreate(endpointText, UriKind.Absolute, out var u) ? u : null,
            };
            var target = new TargetResolver(CredentialSources.Shared).Resolve(call, NlbSession.Current);
            if (!target.CanAddress) return null;
            NlbClient client;
            using (var lease = NlbSession.AcquireClient(target.Provider, target.RegionId, target.Endpoint)) client = lease.Client;
            var key = $"{System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(target.Provider)}|{target.RegionId}|{target.Endpoint}";
            return (client, target.RegionId, key);
        }

        internal static string? Text(IDictionary parameters, string name)
        {
            if (parameters == null || !parameters.Contains(name)) return null;
            var value = parameters[name];
            if (value is PSObject pso) value = pso.BaseObject;
            if (value is Array a) value = a.Length > 0 ? a.GetValue(0) : null;
            var text = value?.ToString();
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }

        // Characters that end or change a bare word at the prompt; inside single quotes none of them is special.
        private static readonly char[] s_needsQuotes =
        {
            ' ', '\t', '\'', '"', '$', '`', ';', ',', '(', ')', '{', '}', '@', '#', '|', '&', '<', '>', '[', ']',
            '\u2018', '\u2019', '\u201A', '\u201B', '\u201C', '\u201D', '\u201E',
        };

        /// <summary>A value from the service is untrusted: one with a control character (a newline, ESC) is never offered.</summary>
        internal static bool HasControlCharacter(string value) => value.Any(char.IsControl);

        /// <summary>Single-quoted when needed; each single quote (and PowerShell's typographic ones) is doubled.</summary>
        internal static string QuoteIfNeeded(string value)
        {
            if (value.Length > 0 && value.IndexOfAny(s_needsQuotes) < 0 && value[0] != '-') return value;
            var sb = new System.Text.StringBuilder("'");
            foreach (var c in value)
            {
                if (c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B') sb.Append(c);
                sb.Append(c);
            }
            return sb.Append('\'').ToString();
        }
    }
}
