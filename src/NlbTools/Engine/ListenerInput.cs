using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using NlbTools.Base;

namespace NlbTools.Engine
{
    /// <summary>
    /// One listener to update, from -ListenerId or from whatever was piped: a string is an id; an NlbListener
    /// (live or deserialized), a CSV row, JSON, Select-Object output or a [pscustomobject] gives its
    /// ListenerId property. The cmdlet inspects the object itself, so binding does not depend on what made it.
    /// </summary>
    internal sealed class ListenerInput
    {
        private ListenerInput(string? listenerId, PSObject? source, NlbListener? live, ErrorRecord? error)
        {
            ListenerId = listenerId;
            Source = source;
            Live = live;
            Error = error;
        }

        public string? ListenerId { get; }
        /// <summary>The piped object (not for ids), whose properties may carry the desired state.</summary>
        public PSObject? Source { get; }
        /// <summary>A live NlbListener from this session, which remembers what the service returned and when.</summary>
        public NlbListener? Live { get; }
        /// <summary>Why the input names no listener; nothing is sent for it.</summary>
        public ErrorRecord? Error { get; }

        public static IEnumerable<ListenerInput> From(string[]? listenerIds, PSObject? inputObject)
            => Items(listenerIds, inputObject).Select(i => i.Error != null || LooksLikeListenerId(i.ListenerId!) ? i : NotAnId(i));

        private static IEnumerable<ListenerInput> Items(string[]? listenerIds, PSObject? inputObject)
        {
            if (listenerIds != null) return listenerIds.Select(id => new ListenerInput(id, null, null, null));
            if (inputObject == null) return Enumerable.Empty<ListenerInput>();
            // -InputObject (Import-Csv x.csv) passes the whole array at once: take it item by item.
            if (inputObject.BaseObject is IEnumerable items && !(inputObject.BaseObject is string) && !(inputObject.BaseObject is IDictionary))
                return items.Cast<object?>().Where(i => i != null).Select(i => One(PSObject.AsPSObject(i))).ToList();
            return new[] { One(inputObject) };
        }

        private static ListenerInput One(PSObject item)
        {
            switch (item.BaseObject)
            {
                case string id: return new ListenerInput(id, null, null, null);
                case NlbListener listener: return new ListenerInput(listener.ListenerId, item, listener, null);
                case IFormattable number: return new ListenerInput(number.ToString(null, CultureInfo.InvariantCulture), null, null, null);
            }
            var property = item.Properties["ListenerId"];
            if (property == null)
                return Missing(item, $"The piped {TypeName(item)} has no ListenerId property. Pipe listener ids, Get-NlbListener output, or objects with a ListenerId property (a CSV row, JSON, [pscustomobject]@{{ ListenerId = '...' }}).");
            var value = AttributeValues.Unwrap(AttributeValues.SafeValue(property));
            var text = value as string ?? (value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : null);
            if (string.IsNullOrWhiteSpace(text))
                return Missing(item, $"The piped {TypeName(item)} has an empty ListenerId; nothing was sent for it.");
            return new ListenerInput(text, item, null, null);
        }

        /// <summary>NLB listener ids are lsn-&lt;id&gt;@&lt;port&gt;; anything else is a mistake the service need not see.</summary>
        private static bool LooksLikeListenerId(string id)
            => id.Length > 4 && id.StartsWith("lsn-", StringComparison.Ordinal)
               && id.All(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '@');

        private static ListenerInput NotAnId(ListenerInput input)
        {
            // Stopped here instead of asking the service. The id is echoed bounded and without control characters.
            var id = new string(input.ListenerId!.Where(c => !char.IsControl(c)).Take(100).ToArray());
            var message = $"'{id}' is not a listener id (ids look like lsn-0123abcd@443: lsn- then letters, digits and - _ . @). Pipe Get-NlbListener output or pass -ListenerId.";
            return new ListenerInput(input.ListenerId, input.Source, input.Live, ErrorRecords.InvalidInput(message, "ListenerId", ErrorIds.InvalidListenerId, input.ListenerId));
        }

        private static ListenerInput Missing(PSObject item, string message)
        {
            return new ListenerInput(null, item, null, ErrorRecords.InvalidInput(message, "ListenerId", ErrorIds.ListenerIdMissing, item));
        }

        private static string TypeName(PSObject item)
        {
            var name = item.TypeNames.Count > 0 ? item.TypeNames[0] : item.BaseObject?.GetType().FullName ?? "object";
            if (name == "System.Management.Automation.PSCustomObject") return "object";
            // A deserialized object's type name is whatever the file said: bounded, no control characters.
            name = new string(name.Where(c => !char.IsControl(c)).Take(100).ToArray());
            return name;
        }
    }
}
