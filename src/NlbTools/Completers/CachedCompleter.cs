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

        /// <summary>The client the cmdlet itself would use, from the parameters typed so far and the session.</summary>
        internal static (NlbClient Client, string? RegionId, string Key)? ResolveClient(IDictionary fakeBoundParameters)
        {
            var session = NlbSession.Current;
            var region = Text(fakeBoundParameters, "RegionId") ?? Text(fakeBoundParameters, "Region");
            var profileName = Text(fakeBoundParameters, "Profile");
            var endpointText = Text(fakeBoundParameters, "Endpoint");
            var endpoint = endpointText != null && Uri.TryCreate(endpointText, UriKind.Absolute, out var u) ? u : session?.Endpoint;

            var provider = session?.Provider ?? CredentialSources.DefaultChain();
            if (profileName != null)
            {
                var profile = CredentialSources.Profile(profileName);
                provider = profile.Provider;
                region ??= CredentialSources.ProfileRegionId(profile);
                if (region == null) return null; // never another profile's region
            }
            region ??= session?.RegionId ?? CredentialSources.DefaultRegionId();
            if (region == null && endpoint == null) return null;
            var client = NlbSession.GetClient(provider, region, endpoint);
            var key = $"{System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(provider)}|{region}|{endpoint}";
            return (client, region, key);
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
