using System;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Credentials
{
    /// <summary>
    /// A chain link whose real provider is built on first use (reading a file, checking variables), so that
    /// building the chain costs nothing and a failure to build is just this link's reason for not answering.
    /// A failed build is retried on the next call: the file may exist by then.
    /// </summary>
    internal sealed class DeferredCredentialsProvider : ICredentialsProvider
    {
        private readonly Func<ICredentialsProvider> _build;
        private ICredentialsProvider? _inner;

        public DeferredCredentialsProvider(string name, Func<ICredentialsProvider> build)
        {
            Name = name;
            _build = build;
        }

        /// <summary>The kind of source ("cli-profile"), used in the chain's failure list.</summary>
        public string Name { get; }

        /// <summary>The built provider's source ("cli-profile:prod (AK)") once built, else the kind.</summary>
        public string Source => Volatile.Read(ref _inner)?.Source ?? Name;

        public Task<NlbCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
        {
            var inner = Volatile.Read(ref _inner);
            if (inner == null)
            {
                inner = _build();
                inner = Interlocked.CompareExchange(ref _inner, inner, null) ?? inner;
            }
            return inner.GetCredentialsAsync(cancellationToken);
        }

        public override string ToString() => Source;
    }
}
