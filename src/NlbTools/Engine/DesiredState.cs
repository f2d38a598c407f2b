using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace NlbTools.Engine
{
    /// <summary>
    /// The attribute values an update asks for, by parameter name: from the bound parameters, or (with no
    /// attribute parameter) from the piped object's properties: a modified NlbListener, a deserialized one
    /// (Import-Clixml, remoting), a CSV row, JSON, or any object named like the parameters. Properties that
    /// are not updatable (ListenerProtocol, ListenerPort, ListenerStatus, LoadBalancerId, Tags...) are ignored;
    /// null and empty values mean "leave alone".
    /// </summary>
    internal sealed class DesiredState
    {
        // Alternative names a piped object may use: the parameters' aliases.
        private static readonly Dictionary<string, string> s_aliases = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ListenerDescription"] = "Description", ["CertificateIds"] = "CertificateId", ["CaCertificateIds"] = "CaCertificateId",
        };

        private readonly Dictionary<string, object> _values = new Dictionary<string, object>(StringComparer.Ordinal);

        /// <summary>Requested values in API order (see <see cref="AttributeValues.Names"/>).</summary>
        public IEnumerable<KeyValuePair<string, object>> Values
            => AttributeValues.Names.Where(_values.ContainsKey).Select(n => new KeyValuePair<string, object>(n, _values[n]));

        public bool Has(string name) => _values.ContainsKey(name);
        public object? Get(string name) => _values.TryGetValue(name, out var v) ? v : null;

        /// <summary>Values that could not be converted: "column 'Cps' value 'lots': expected a whole number".</summary>
        public List<string> Problems { get; } = new List<string>();

        /// <summary>The input named at least one updatable attribute, even if every value was empty.</summary>
        public bool NamesAnyAttribute { get; private set; }

        public static DesiredState FromParameters(IDictionary<string, object> bound)
        {
            var state = new DesiredState();
            foreach (var name in AttributeValues.Names)
            {
                if (!bound.TryGetValue(name, out var value)) continue;
                state.NamesAnyAttribute = true;
                // Parameters are typed already: only unwrap (string[] -> list) and keep empty text as given
                // (an empty description is a rule violation to report, not "leave alone").
                value = AttributeValues.Unwrap(value);
                if (value != null) state._values[name] = value;
            }
            return state;
        }

        public static DesiredState FromObject(PSObject input)
        {
            var state = new DesiredState();
            var properties = input.Properties;
            foreach (var name in AttributeValues.Names)
            {
                var property = properties[name];
                if (property == null && s_aliases.TryGetValue(name, out var alias)) property = properties[alias];
                if (property == null) continue;
                state.NamesAnyAttribute = true;
                state.Add(name, AttributeValues.SafeValue(property), property.Name);
            }
            // The nested config (a live or deserialized object, JSON, or "Key=Value;..." text); a flag in a column
            // of its own wins over the same flag inside it.
            var config = properties["ProxyProtocolV2Config"];
            if (config != null)
            {
                state.NamesAnyAttribute = true;
                try
                {
                    foreach (var flag in AttributeValues.ParsePpv2(AttributeValues.SafeValue(config)))
                        if (!state._values.ContainsKey(flag.Key)) state._values[flag.Key] = flag.Value;
                }
                catch (FormatException e)
                {
                    state.Problems.Add($"column 'ProxyProtocolV2Config' value '{Shorten(AttributeValues.SafeValue(config))}': {e.Message}");
                }
            }
            return state;
        }

        private void Add(string name, object? raw, string column)
        {
            try
            {
                var value = AttributeValues.Convert(name, raw);
                if (value != null) _values[name] = value;
            }
            catch (FormatException e)
            {
                Problems.Add($"column '{column}' value '{Shorten(raw)}': {e.Message}");
            }
        }

        /// <summary>Bounded and free of control characters: the value comes from an untrusted file.</summary>
        private static string Shorten(object? raw)
        {
            var text = ListenerChange.Show(AttributeValues.Unwrap(raw));
            text = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
            return text.Length > 80 ? text.Substring(0, 77) + "..." : text;
        }
    }
}
