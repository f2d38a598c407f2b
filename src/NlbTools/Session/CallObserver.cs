using System.Threading;

namespace NlbTools.Session
{
    /// <summary>Receives what the client reports during one cmdlet's calls. Called from any thread.</summary>
    internal interface ICallObserver
    {
        /// <summary>One redacted line per attempt or retry decision.</summary>
        void OnLog(string line);
        /// <summary>The service throttled a request (the client will back off and retry).</summary>
        void OnThrottled();
    }

    /// <summary>
    /// Clients are cached and shared by every cmdlet in the process, so their log and retry callbacks
    /// cannot point at one cmdlet. Each cmdlet starts its calls with itself as the ambient observer;
    /// the value flows with the async calls into the client's callbacks.
    /// </summary>
    internal static class CallObserver
    {
        private static readonly AsyncLocal<ICallObserver?> s_current = new AsyncLocal<ICallObserver?>();

        public static ICallObserver? Current
        {
            get => s_current.Value;
            set => s_current.Value = value;
        }

        public static void Log(string line) => s_current.Value?.OnLog(line);
        public static void Throttled() => s_current.Value?.OnThrottled();
    }
}
