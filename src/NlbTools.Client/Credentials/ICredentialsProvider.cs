using System;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Credentials
{
    /// <summary>One source of credentials (explicit keys, environment, CLI profile, ini file, and later STS/IMDS/OIDC).</summary>
    public interface ICredentialsProvider
    {
        /// <summary>Where the credentials come from, for display: e.g. "environment", "cli-profile:prod (AK)". Never a secret.</summary>
        string Source { get; }

        /// <summary>Returns usable credentials; a caching provider refreshes before expiry. Throws NlbCredentialsException when unavailable.</summary>
        Task<NlbCredentials> GetCredentialsAsync(CancellationToken cancellationToken);
    }

    /// <summary>Raised when a source (or every source of a chain) cannot give credentials. The message never holds a secret.</summary>
    public sealed class NlbCredentialsException : Exception
    {
        public NlbCredentialsException(string message, Exception? inner = null) : base(message, inner) { }

        /// <summary>Set when a source answered but its answer is unusable (e.g. a control character in a value):
        /// the cmdlets report this ErrorId, and a chain stops there instead of trying the next source.</summary>
        public string? ErrorId { get; set; }
    }
}
