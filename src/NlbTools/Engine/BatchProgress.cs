using System;
using System.Management.Automation;
using System.Threading;

namespace NlbTools.Engine
{
    /// <summary>
    /// One progress record for a batch whose length is not known up front (piped input): how many items were
    /// sent and how many came back. Counts may change on any thread; Show and Complete run on the pipeline thread.
    /// </summary>
    internal sealed class BatchProgress
    {
        private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(500);
        private readonly PSCmdlet _cmdlet;
        private readonly int _activityId;
        private readonly string _activity;
        private readonly bool _enabled;
        private int _submitted;
        private int _finished;
        private int _failed;
        private DateTime _lastShown = DateTime.MinValue;
        private bool _shown;
        private string? _lastSent;

        public BatchProgress(PSCmdlet cmdlet, int activityId, string activity)
        {
            _cmdlet = cmdlet;
            _activityId = activityId;
            _activity = activity;
            _enabled = IsShown(cmdlet);
        }

        public int Submitted => Volatile.Read(ref _submitted);
        public int Finished => Volatile.Read(ref _finished);
        public int Failed => Volatile.Read(ref _failed);

        public void OnSubmitted() => Interlocked.Increment(ref _submitted);

        public void OnFinished(bool failed)
        {
            Interlocked.Increment(ref _finished);
            if (failed) Interlocked.Increment(ref _failed);
        }

        /// <summary>
        /// At most twice a second, the first time at once; <paramref name="current"/> names the item in hand. It is
        /// also in the status, since PowerShell 7's minimal progress view shows no CurrentOperation.
        /// </summary>
        public void Show(string? current = null)
        {
            if (current != null) _lastSent = current;
            if (!_enabled || DateTime.UtcNow - _lastShown < s_interval) return;
            _lastShown = DateTime.UtcNow;
            _shown = true;
            var status = $"{Submitted} sent, {Finished} done ({Failed} failed)" + (_lastSent != null ? $", last sent {_lastSent}" : "");
            var record = new ProgressRecord(_activityId, _activity, status);
            if (_lastSent != null) record.CurrentOperation = _lastSent;
            _cmdlet.WriteProgress(record);
        }

        /// <summary>Clears the record, if one was shown.</summary>
        public void Complete()
        {
            if (!_shown) return;
            _shown = false;
            _cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        /// <summary>Skip progress nobody will see (CI sets $ProgressPreference = 'SilentlyContinue').</summary>
        public static bool IsShown(PSCmdlet cmdlet)
        {
            var preference = cmdlet.SessionState.PSVariable.GetValue("ProgressPreference");
            return !(preference is ActionPreference p && (p == ActionPreference.SilentlyContinue || p == ActionPreference.Ignore));
        }
    }
}
