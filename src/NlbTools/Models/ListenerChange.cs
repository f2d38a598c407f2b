using System.Collections;
using System.Globalization;
using System.Linq;

namespace NlbTools
{
    /// <summary>
    /// One attribute an update sends: its value before (as read from the service; null when it was not read,
    /// e.g. with -Force) and after. Names are Set-NlbListenerAttribute's parameter names, so the Before values
    /// splat straight back into Set-NlbListenerAttribute to undo the change.
    /// </summary>
    public sealed class ListenerChange
    {
        public ListenerChange(string name, object? before, object? after)
        {
            Name = name;
            Before = before;
            After = after;
        }

        public string Name { get; }
        public object? Before { get; }
        public object? After { get; }

        /// <summary>IdleTimeout 900 → 300 (the arrow as an escape, so the text survives any source encoding).</summary>
        public override string ToString() => $"{Name} {Show(Before)} \u2192 {Show(After)}";

        internal static string Show(object? value)
        {
            switch (value)
            {
                case null: return "(none)";
                case string s: return s.Length == 0 ? "''" : s;
                case bool b: return b ? "$true" : "$false";
                case IEnumerable list: return string.Join(",", list.Cast<object>());
                case System.IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
                default: return value.ToString() ?? "";
            }
        }
    }
}
