using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace NlbTools.Client.Paging
{
    /// <summary>
    /// NextToken paging, one page per <see cref="NextPageAsync"/>: nothing is fetched until it is asked for, and
    /// nothing here blocks a thread (the caller decides how to wait). Paging ends on an empty NextToken or on a
    /// page with no items (a service that keeps handing out tokens for empty pages). A NextToken the service
    /// already gave is an InvalidResponse error rather than a loop that never ends. Each page is fetched with its
    /// own token; the caller's request object is never changed. The page that carries the repeated token is still
    /// returned (its items are what the service sent); the error comes from the call after it.
    /// </summary>
    public sealed class NlbPager<TPage> where TPage : class
    {
        private readonly Func<string?, CancellationToken, Task<TPage>> _fetch;
        private readonly Func<TPage, string?> _nextToken;
        private readonly Func<TPage, int> _itemCount;
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private readonly string _action;
        private string? _token;
        private string? _repeatedToken;
        private int _busy;

        public NlbPager(string action, string? firstToken, Func<string?, CancellationToken, Task<TPage>> fetch, Func<TPage, string?> nextToken, Func<TPage, int> itemCount)
        {
            _action = action ?? throw new ArgumentNullException(nameof(action));
            _fetch = fetch ?? throw new ArgumentNullException(nameof(fetch));
            _nextToken = nextToken ?? throw new ArgumentNullException(nameof(nextToken));
            _itemCount = itemCount ?? throw new ArgumentNullException(nameof(itemCount));
            _token = string.IsNullOrEmpty(firstToken) ? null : firstToken;
            if (_token != null) _seen.Add(_token);
        }

        /// <summary>True once the last page was returned.</summary>
        public bool IsDone { get; private set; }

        /// <summary>Pages returned so far.</summary>
        public int PageCount { get; private set; }

        /// <summary>The next page, or null when paging has ended. One call at a time.</summary>
        public async Task<TPage?> NextPageAsync(CancellationToken cancellationToken = default)
        {
            if (_repeatedToken != null)
            {
                var repeated = _repeatedToken;
                _repeatedToken = null;
                IsDone = true;
                throw new NlbException("InvalidResponse",
                    $"{_action}: the service returned NextToken '{Printable(repeated)}' a second time (after page {PageCount}); paging stopped so that it does not loop forever.");
            }
            if (IsDone) return null;
            if (Interlocked.Exchange(ref _busy, 1) != 0) throw new InvalidOperationException("NextPageAsync is already running for this pager.");
            try
            {
                var page = await _fetch(_token, cancellationToken).ConfigureAwait(false);
                PageCount++;
                var next = _nextToken(page);
                if (string.IsNullOrEmpty(next) || _itemCount(page) == 0)
                {
                    IsDone = true;
                }
                else if (!_seen.Add(next!))
                {
                    _repeatedToken = next;
                }
                _token = next;
                return page;
            }
            finally
            {
                Volatile.Write(ref _busy, 0);
            }
        }

        /// <summary>The token comes from the endpoint: shortened, and no control characters reach a terminal.</summary>
        private static string Printable(string token)
        {
            var chars = (token.Length <= 64 ? token : token.Substring(0, 64) + "...").ToCharArray();
            for (var i = 0; i < chars.Length; i++)
                if (char.IsControl(chars[i])) chars[i] = '?';
            return new string(chars);
        }
    }
}
