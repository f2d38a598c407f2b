using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// Tries its sources in order and remembers the first that answers, as the official default chain does:
    /// later calls go straight to it (so a refreshing provider keeps refreshing, and nothing is re-read).
    /// When none answers, the exception lists every source and why it did not answer; no secret is in it.
    /// </summary>
    public sealed class CredentialsChain : ICredentialsProvider
    {
        private readonly IReadOnlyList<(string Name, ICredentialsProvider Provider)> _links;
        private ICredentialsProvider? _chosen;

        public CredentialsChain(IEnumerable<(string Name, ICredentialsProvider Provider)> links)
        {
            _links = links.ToList();
            if (_links.Count == 0) throw new ArgumentException("A chain needs at least one source.", nameof(links));
        }

        /// <summary>"default-chain" until a source answered, then that source (e.g. "cli-profile:prod (AK)").</summary>
        public string Source => Volatile.Read(ref _chosen)?.Source ?? "default-chain";

        /// <summary>The names of the sources, in the order they are tried.</summary>
        public IReadOnlyList<string> SourceNames => _links.Select(l => l.Name).ToList();

        public async Task<NlbCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
        {
            var chosen = Volatile.Read(ref _chosen);
            if (chosen != null) return await chosen.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);

            var failures = new List<string>();
            foreach (var (name, provider) in _links)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    var credentials = await provider.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
                    Interlocked.CompareExchange(ref _chosen, provider, null);
                    return credentials;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (NlbCredentialsException e) when (e.ErrorId != null)
                {
                    throw; // the source has credentials, but unusable ones: using the next source instead would hide that
                }
                catch (Exception e)
                {
                    failures.Add($"{name}: {CredentialsErrors.Describe(e)}");
                }
            }
            throw new NlbCredentialsException(FailureText(failures));
        }

        private static string FailureText(IReadOnlyList<string> failures)
        {
            var text = new StringBuilder("No Alibaba Cloud credentials found. Sources tried, in order:");
            // The sources and their reasons only: the caller (Connect-Nlb, the cmdlets) says once how to connect.
            for (int i = 0; i < failures.Count; i++) text.Append(Environment.NewLine).Append($"  {i + 1}. {failures[i]}");
            return text.ToString();
        }

        public override string ToString() => Source;
    }

    internal static class CredentialsErrors
    {
        /// <summary>Our own exceptions carry a composed, secret-free message; others get their type too.
        /// (HttpClient and process errors say what failed to connect or start, never a request's content.)</summary>
        public static string Describe(Exception e)
        {
            if (e is NlbCredentialsException) return OneLine(e.Message);
            var message = e.InnerException != null && !string.IsNullOrEmpty(e.InnerException.Message)
                ? $"{e.Message} ({e.InnerException.Message})"
                : e.Message;
            return OneLine($"{e.GetType().Name}: {message}");
        }

        private static string OneLine(string text) => text.Replace("\r", " ").Replace("\n", " ").Trim();
    }
}
