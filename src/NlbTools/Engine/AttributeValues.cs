using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using NlbTools.Client.Models;
using Newtonsoft.Json.Linq;

namespace NlbTools.Engine
{
    /// <summary>
    /// The attributes UpdateListenerAttribute can change, by Set-NlbListenerAttribute's parameter names, and
    /// generous conversion of text and objects into their values (CSV cells, JSON, deserialized objects).
    /// </summary>
    internal static class AttributeValues
    {
        /// <summary>In API order: requests, -WhatIf text and NlbJob.Changes list them in this order.</summary>
        public static readonly string[] Names =
        {
            "ListenerDescription", "ServerGroupId", "SecurityPolicyId", "CertificateIds", "CaCertificateIds", "CaEnabled", "IdleTimeout",
            "Cps", "Mss", "ProxyProtocolEnabled", "Ppv2VpcIdEnabled", "Ppv2PrivateLinkEpIdEnabled", "Ppv2PrivateLinkEpsIdEnabled",
            "SecSensorEnabled", "AlpnEnabled", "AlpnPolicy",
        };

        public static readonly string[] Ppv2Names = { "Ppv2VpcIdEnabled", "Ppv2PrivateLinkEpIdEnabled", "Ppv2PrivateLinkEpsIdEnabled" };

        public const int MaxTextLength = 4096;
        public const int MaxListLength = 100;

        private static readonly string[] s_ints = { "IdleTimeout", "Cps", "Mss" };
        private static readonly string[] s_lists = { "CertificateIds", "CaCertificateIds" };

        public static bool IsBool(string name) => !IsInt(name) && !IsList(name) && name.EndsWith("Enabled", StringComparison.Ordinal);
        public static bool IsInt(string name) => s_ints.Contains(name);
        public static bool IsList(string name) => s_lists.Contains(name);

        /// <summary>The listener's current values by attribute name (null where the service returned none).</summary>
        public static Dictionary<string, object?> Of(Listener l)
        {
            var v2 = l.ProxyProtocolV2Config;
            return new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["ListenerDescription"] = l.ListenerDescription, ["ServerGroupId"] = l.ServerGroupId, ["SecurityPolicyId"] = l.SecurityPolicyId,
                ["CertificateIds"] = l.CertificateIds?.ToArray(), ["CaCertificateIds"] = l.CaCertificateIds?.ToArray(), ["CaEnabled"] = l.CaEnabled,
                ["IdleTimeout"] = l.IdleTimeout, ["Cps"] = l.Cps, ["Mss"] = l.Mss, ["ProxyProtocolEnabled"] = l.ProxyProtocolEnabled,
                ["Ppv2VpcIdEnabled"] = v2?.Ppv2VpcIdEnabled, ["Ppv2PrivateLinkEpIdEnabled"] = v2?.Ppv2PrivateLinkEpIdEnabled,
                ["Ppv2PrivateLinkEpsIdEnabled"] = v2?.Ppv2PrivateLinkEpsIdEnabled, ["SecSensorEnabled"] = l.SecSensorEnabled,
                ["AlpnEnabled"] = l.AlpnEnabled, ["AlpnPolicy"] = l.AlpnPolicy,
            };
        }

        /// <summary>
        /// Converts one value for <paramref name="name"/>; null means "leave alone" (null, an empty or blank cell,
        /// an empty list). Throws FormatException with what was expected when the value cannot be converted.
        /// </summary>
        public static object? Convert(string name, object? value)
        {
            value = Unwrap(value);
            if (value == null || (value is string blank && blank.Trim().Length == 0)) return null;
            // Piped values come from files anyone may have written: no attribute needs more than this.
            if (value is string { Length: > MaxTextLength }) throw new FormatException($"longer than {MaxTextLength} characters");
            if (IsInt(name)) return ToInt(value);
            if (IsBool(name)) return ToBool(value);
            if (IsList(name))
            {
                var list = ToList(value);
                if (list.Length > MaxListLength) throw new FormatException($"more than {MaxListLength} ids");
                return list.Length == 0 ? null : list;
            }
            if (value is string s) return s;
            if (value is IFormattable || value is char) return System.Convert.ToString(value, CultureInfo.InvariantCulture);
            throw new FormatException("expected text");
        }

        /// <summary>
        /// The three PPv2 flags from a ProxyProtocolV2Config value: the object itself (live or deserialized), a
        /// hashtable, JSON text, or "Ppv2VpcIdEnabled=True;Ppv2PrivateLinkEpIdEnabled=False" text (',' also
        /// separates, ':' also assigns, and the Ppv2 prefix and Enabled suffix may be left out).
        /// </summary>
        public static Dictionary<string, bool> ParsePpv2(object? value)
        {
            value = Unwrap(value);
            var flags = new Dictionary<string, bool>(StringComparer.Ordinal);
            if (value == null) return flags;
            if (value is string { Length: > MaxTextLength }) throw new FormatException($"longer than {MaxTextLength} characters");
            IEnumerable<KeyValuePair<string, object?>> pairs;
            switch (value)
            {
                case string s when s.Trim().Length == 0: return flags;
                case string s when s.TrimStart().StartsWith("{", StringComparison.Ordinal):
                    JObject json;
                    try { json = JObject.Parse(s); }
                    catch (Newtonsoft.Json.JsonException) { throw new FormatException("expected JSON like {\"Ppv2VpcIdEnabled\":true}"); }
                    pairs = json.Properties().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value.Type == JTokenType.Null ? null : p.Value.ToString()));
                    break;
                case string s:
                    pairs = s.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries).Where(p => p.Trim().Length > 0).Select(p =>
                    {
                        var at = p.IndexOfAny(new[] { '=', ':' });
                        if (at < 0) throw new FormatException("expected Key=Value pairs like Ppv2VpcIdEnabled=True;Ppv2PrivateLinkEpIdEnabled=False");
                        return new KeyValuePair<string, object?>(p.Substring(0, at).Trim(), p.Substring(at + 1).Trim());
                    });
                    break;
                case ProxyProtocolV2Config c:
                    pairs = new[]
                    {
                        new KeyValuePair<string, object?>("Ppv2VpcIdEnabled", c.Ppv2VpcIdEnabled),
                        new KeyValuePair<string, object?>("Ppv2PrivateLinkEpIdEnabled", c.Ppv2PrivateLinkEpIdEnabled),
                        new KeyValuePair<string, object?>("Ppv2PrivateLinkEpsIdEnabled", c.Ppv2PrivateLinkEpsIdEnabled),
                    };
                    break;
                case IDictionary d:
                    pairs = d.Keys.Cast<object>().Select(k => new KeyValuePair<string, object?>(k.ToString() ?? "", d[k]));
                    break;
                default:
                    pairs = PSObject.AsPSObject(value).Properties.Select(p => new KeyValuePair<string, object?>(p.Name, SafeValue(p)));
                    break;
            }
            foreach (var pair in pairs)
            {
                var name = Ppv2Name(pair.Key) ?? throw new FormatException($"'{pair.Key}' is not a Proxy Protocol v2 flag (Ppv2VpcIdEnabled, Ppv2PrivateLinkEpIdEnabled, Ppv2PrivateLinkEpsIdEnabled)");
                var flag = Convert(name, pair.Value);
                if (flag is bool b) flags[name] = b;
            }
            return flags;
        }

        /// <summary>"VpcId", "ppv2vpcidenabled", "Ppv2VpcIdEnabled" all name Ppv2VpcIdEnabled.</summary>
        private static string? Ppv2Name(string key)
        {
            var k = key.Trim().ToLowerInvariant();
            if (k.StartsWith("ppv2", StringComparison.Ordinal)) k = k.Substring(4);
            if (k.EndsWith("enabled", StringComparison.Ordinal)) k = k.Substring(0, k.Length - 7);
            switch (k)
            {
                case "vpcid": return "Ppv2VpcIdEnabled";
                case "privatelinkepid": return "Ppv2PrivateLinkEpIdEnabled";
                case "privatelinkepsid": return "Ppv2PrivateLinkEpsIdEnabled";
                default: return null;
            }
        }

        public static object? Unwrap(object? value) => value is PSObject pso && !(pso.BaseObject is PSCustomObject) ? pso.BaseObject : value;

        /// <summary>A property's value, or null when reading it throws (a script property, a getter that fails).</summary>
        public static object? SafeValue(PSPropertyInfo property)
        {
            try { return property.Value; }
            catch (GetValueException) { return null; }
        }

        private static int ToInt(object value)
        {
            switch (value)
            {
                case int i: return i;
                case long l when l >= int.MinValue && l <= int.MaxValue: return (int)l;
                case short or byte: return System.Convert.ToInt32(value, CultureInfo.InvariantCulture);
                case double d when d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue: return (int)d;
                case string s when int.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed): return parsed;
            }
            throw new FormatException("expected a whole number");
        }

        private static bool ToBool(object value)
        {
            if (value is bool b) return b;
            switch (value is string s ? s.Trim().ToLowerInvariant() : "")
            {
                case "true": case "$true": case "1": return true;
                case "false": case "$false": case "0": return false;
            }
            if (value is int i && (i == 0 || i == 1)) return i == 1;
            throw new FormatException("expected True or False");
        }

        /// <summary>A list, or text: "id1,id2", "id1;id2", or a JSON array.</summary>
        private static string[] ToList(object value)
        {
            if (value is string s)
            {
                s = s.Trim();
                if (s.StartsWith("[", StringComparison.Ordinal))
                {
                    try { return JArray.Parse(s).Select(t => t.ToString().Trim()).Where(t => t.Length > 0).ToArray(); }
                    catch (Newtonsoft.Json.JsonException) { throw new FormatException("expected a JSON array of ids"); }
                }
                // A type name is what Export-Csv writes for a list it cannot show: refuse it rather than send it.
                if (s.StartsWith("System.", StringComparison.Ordinal)) throw new FormatException("expected ids separated by commas, not a type name");
                return s.Split(new[] { ',', ';', ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries);
            }
            if (value is IEnumerable items && !(value is IDictionary))
            {
                return items.Cast<object?>().Select(Unwrap).Where(i => i != null).Select(i =>
                    i is string t ? t.Trim() : throw new FormatException("expected a list of ids")).Where(t => t.Length > 0).ToArray();
            }
            throw new FormatException("expected a list of ids");
        }
    }
}
