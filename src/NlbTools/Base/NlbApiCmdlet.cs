using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NlbTools.Client;
using NlbTools.Client.Credentials;
using NlbTools.Client.Paging;
using NlbTools.Completers;
using NlbTools.Session;

namespace NlbTools.Base
{
    /// <summary>
    /// A cmdlet that calls the NLB API. Adds -RegionId/-Profile/-Endpoint for one call and resolves a cached
    /// client lazily. Precedence: the parameter, then the session context (Connect-Nlb), then the
    /// environment, then the profile files.
    /// </summary>
    public abstract class NlbApiCmdlet : NlbCancellableCmdlet, ICallObserver
    {
        private readonly HashSet<ICredentialsProvider> _checkedProviders = new HashSet<ICredentialsProvider>();
        private readonly HashSet<ICredentialsProvider> _failedProviders = new HashSet<ICredentialsProvider>();
        private readonly Dictionary<(ICredentialsProvider, string?, Uri?), ApiTarget> _targets = new Dictionary<(ICredentialsProvider, string?, Uri?), ApiTarget>();
        private readonly HashSet<string> _targetErrorsWritten = new HashSet<string>(StringComparer.Ordinal);
        private readonly TargetResolver _resolver = new TargetResolver(CredentialSources.Shared);
        private bool _verbose;

        /// <summary>Binds from piped objects' RegionId; an empty one (an object without a region) counts as not given.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Region")]
        [ArgumentCompleter(typeof(RegionIdCompleter))]
        public string? RegionId { get; set; }

        /// <summary>An aliyun CLI (or credentials ini) profile for this call only.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileCompleter))]
        public string? Profile { get; set; }

        /// <summary>Overrides the regional endpoint for this call (e.g. an emulator on loopback).</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Endpoint { get; set; }

        protected override void BeginProcessing()
        {
            _verbose = IsVerbose();
        }

        /// <summary>
        /// The client for the current parameter values (they may change per pipeline record), by the precedence of
        /// <see cref="TargetResolver"/>. <paramref name="fallbackRegion"/> serves calls that work against any region
        /// (DescribeRegions). Null when there are no credentials or no region: that error is written once per
        /// command (non-terminating, so -ErrorAction applies) and the caller skips the record.
        /// </summary>
        internal ApiTarget? ResolveTarget(string? fallbackRegion = null)
        {
            ResolvedTarget resolved;
            try
            {
                resolved = _resolver.Resolve(new TargetRequest { Profile = Profile, RegionId = RegionId, Endpoint = Endpoint }, NlbSession.Current, fallbackRegion);
            }
            catch (NlbCredentialsException e)
            {
                WriteTargetErrorOnce("profile:" + Profile, ErrorRecords.Credentials(e));
                return null;
            }
            if (resolved.ProfileWithoutRegion is { } profile)
            {
                WriteTargetErrorOnce(ErrorIds.RegionNotSet, ErrorRecords.NoRegionForProfile(profile));
                return null;
            }
            if (!resolved.CanAddress)
            {
                WriteTargetErrorOnce(ErrorIds.RegionNotSet, ErrorRecords.NoRegion());
                return null;
            }
            if (!EnsureCredentials(resolved.Provider)) return null;

            var key = (resolved.Provider, resolved.RegionId, resolved.Endpoint);
            if (!_targets.TryGetValue(key, out var target))
            {
                // Held until the command ends, so a Disconnect-Nlb elsewhere cannot dispose the client under it.
                target = new ApiTarget(NlbSession.AcquireClient(resolved.Provider, resolved.RegionId, resolved.Endpoint), resolved.RegionId);
                _targets[key] = target;
            }
            return target;
        }

        /// <summary>Missing credentials are reported once per command, up front, with a message that says how to connect.</summary>
        private bool EnsureCredentials(ICredentialsProvider provider)
        {
            if (_checkedProviders.Contains(provider)) return true;
            if (_failedProviders.Contains(provider)) return false; // asked once per command: the chain may wait on the network
            var token = CancelToken;
            try
            {
                Await(Start(() => provider.GetCredentialsAsync(token), token));
            }
            catch (NlbCredentialsException e)
            {
                _failedProviders.Add(provider);
                WriteTargetErrorOnce(ErrorIds.CredentialsNotFound, ErrorRecords.Credentials(e));
                return false;
            }
            _checkedProviders.Add(provider);
            return true;
        }

        /// <summary>
        /// A batch of 100 piped records without credentials gives one error, not 100. Written, not thrown, so
        /// -ErrorAction SilentlyContinue silences it and -ErrorAction Stop ends the command with the same ErrorId.
        /// </summary>
        private void WriteTargetErrorOnce(string kind, ErrorRecord record)
        {
            if (_targetErrorsWritten.Add(kind)) WriteError(record);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                foreach (var target in _targets.Values) target.Release();
                _targets.Clear();
            }
            base.Dispose(disposing);
        }

        /// <summary>
        /// Starts an API call with this cmdlet as the observer of its log and retries. With a <paramref name="subject"/>
        /// (a listener id) every verbose line of the call names it, so lines of calls in flight together can be told apart.
        /// </summary>
        internal Task<T> StartCall<T>(Func<CancellationToken, Task<T>> call, string? subject = null)
        {
            var token = CancelToken;
            ICallObserver observer = subject == null ? this : new SubjectObserver(this, subject);
            return Start(() =>
            {
                // The ambient observer flows into the call's continuations; restored so it stays off this thread.
                var previous = CallObserver.Current;
                CallObserver.Current = observer;
                try { return call(token); }
                finally { CallObserver.Current = previous; }
            }, token);
        }

        /// <summary>
        /// Starts async work right here, up to its first await: a hop to the thread pool and back costs a
        /// context switch each way, which a busy machine turns into milliseconds per call. Only when this
        /// thread has a synchronization context does the work start on the pool, so that its continuations
        /// never need the pipeline thread while the pipeline thread waits for them.
        /// </summary>
        private static Task<T> Start<T>(Func<Task<T>> work, CancellationToken token)
        {
            if (SynchronizationContext.Current != null) return Task.Run(work, token);
            if (token.IsCancellationRequested) return Task.FromCanceled<T>(token);
            try
            {
                return work();
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return Task.FromCanceled<T>(token);
            }
            catch (Exception e)
            {
                return Task.FromException<T>(e);
            }
        }

        /// <summary>Calls and waits on the pipeline thread (verbose lines are written while waiting).</summary>
        internal T Call<T>(Func<CancellationToken, Task<T>> call, string? subject = null) => Await(StartCall(call, subject));

        /// <summary>
        /// The client's pager driven through <see cref="Call{T}"/>: one request at a time on the pipeline thread, each page
        /// yielded before the next is asked for, so a consumer that stops early (Select-Object -First) stops the fetching.
        /// The pager's stop rules apply: no NextToken, an empty page, or a repeated NextToken (an InvalidResponse error).
        /// </summary>
        internal IEnumerable<TPage> Pages<TPage>(NlbPager<TPage> pager) where TPage : class
        {
            while (true)
            {
                var page = Call(ct => pager.NextPageAsync(ct));
                if (page == null) yield break;
                yield return page;
            }
        }

        private HashSet<string>? _regionsChecked;

        /// <summary>
        /// After an empty or not-found answer: true (and one error per region) when the region is not one the service
        /// lists, so the caller reports that instead of "nothing" or "not found".
        /// </summary>
        internal bool RegionIsUnknown(ApiTarget target)
        {
            _regionsChecked ??= new HashSet<string>(StringComparer.Ordinal);
            var region = target.RegionId ?? "";
            var error = RegionCheck.Unknown(this, target);
            if (error == null) return false;
            if (_regionsChecked.Add(region)) WriteError(error);
            return true;
        }

        /// <summary>
        /// A service error for one item: non-terminating, so the batch goes on and -ErrorAction applies. With a
        /// <paramref name="subject"/> ("Listener lsn-…") the message starts with it.
        /// </summary>
        internal void WriteApiError(Exception exception, object? target, string? subject = null)
        {
            if (exception is NlbCredentialsException)
            {
                WriteTargetErrorOnce(ErrorIds.CredentialsNotFound, ErrorRecords.Credentials(exception));
                return;
            }
            WriteError(ErrorRecords.From(exception, target, subject));
        }

        /// <summary>A service error about one listener, named in its message.</summary>
        internal void WriteListenerError(Exception exception, string listenerId) => WriteApiError(exception, listenerId, ListenerSubject(listenerId));

        internal static string ListenerSubject(string listenerId) => "Listener " + listenerId;

        void ICallObserver.OnLog(string line)
        {
            if (_verbose) Post(() => WriteVerbose(line));
        }

        void ICallObserver.OnThrottled() => OnThrottled();

        /// <summary>The service throttled one of this cmdlet's requests. Called from any thread.</summary>
        protected virtual void OnThrottled() { }

        /// <summary>-WhatIf, or $WhatIfPreference (which an advanced function called with -WhatIf sets in its scope).</summary>
        internal bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)) return LanguagePrimitives.IsTrue(whatIf);
            return LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
        }

        private bool IsVerbose()
        {
            if (MyInvocation.BoundParameters.TryGetValue("Verbose", out var v)) return LanguagePrimitives.IsTrue(v);
            var pref = SessionState.PSVariable.GetValue("VerbosePreference");
            return pref is ActionPreference p ? p != ActionPreference.SilentlyContinue && p != ActionPreference.Ignore
                                              : pref != null && !string.Equals(pref.ToString(), "SilentlyContinue", StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Passes a call's log lines on with the item they are about in front.</summary>
    internal sealed class SubjectObserver : ICallObserver
    {
        private readonly ICallObserver _inner;
        private readonly string _prefix;

        public SubjectObserver(ICallObserver inner, string subject)
        {
            _inner = inner;
            _prefix = subject + ": ";
        }

        public void OnLog(string line) => _inner.OnLog(_prefix + line);
        public void OnThrottled() => _inner.OnThrottled();
    }

    /// <summary>A resolved client and the region its requests name.</summary>
    internal sealed class ApiTarget
    {
        private readonly ClientLease _lease;

        public ApiTarget(ClientLease lease, string? regionId)
        {
            _lease = lease;
            RegionId = regionId;
        }

        public NlbClient Client => _lease.Client;
        public string? RegionId { get; }

        public void Release() => _lease.Dispose();
    }
}
