using System;
using System.Collections.Generic;
using System.Linq;
using NlbTools.Client.Models;

namespace NlbTools.Engine
{
    /// <summary>
    /// What an update sends: the requested values that differ from the listener's current ones (all of them
    /// with -Force), as NlbJob.Changes entries and as the UpdateListenerAttribute request.
    /// </summary>
    internal static class ListenerDiff
    {
        /// <param name="current">The listener's values now; null when not read (-Force), so every Before is null.</param>
        public static List<ListenerChange> Compute(DesiredState desired, IReadOnlyDictionary<string, object?>? current, bool force)
        {
            var changes = new List<ListenerChange>();
            foreach (var pair in desired.Values)
            {
                object? before = null;
                current?.TryGetValue(pair.Key, out before);
                if (force || current == null || !Same(before, pair.Value)) changes.Add(new ListenerChange(pair.Key, before, pair.Value));
            }
            // The service takes AlpnEnabled=true only together with a policy: when only the switch differs, the
            // requested policy (unchanged, so left out above) goes along.
            if (changes.Any(c => c.Name == "AlpnEnabled" && Equals(c.After, true)) && changes.All(c => c.Name != "AlpnPolicy") && desired.Get("AlpnPolicy") is string policy)
            {
                object? before = null;
                current?.TryGetValue("AlpnPolicy", out before);
                changes.Add(new ListenerChange("AlpnPolicy", before, policy));
            }
            return changes;
        }

        public static bool Same(object? a, object? b)
        {
            if (a is string[] x && b is string[] y) return x.SequenceEqual(y, StringComparer.Ordinal);
            if (a is string[] only && b == null) return only.Length == 0;
            if (a == null && b is string[] none) return none.Length == 0;
            return Equals(a, b);
        }

        public static UpdateListenerAttributeRequest ToRequest(IEnumerable<ListenerChange> changes, string listenerId, string? regionId, string? clientToken)
        {
            var r = new UpdateListenerAttributeRequest { ListenerId = listenerId, RegionId = regionId, ClientToken = clientToken };
            foreach (var c in changes)
            {
                var v = c.After;
                switch (c.Name)
                {
                    case "ListenerDescription": r.ListenerDescription = (string?)v; break;
                    case "ServerGroupId": r.ServerGroupId = (string?)v; break;
                    case "SecurityPolicyId": r.SecurityPolicyId = (string?)v; break;
                    case "CertificateIds": r.CertificateIds = ((string[])v!).ToList(); break;
                    case "CaCertificateIds": r.CaCertificateIds = ((string[])v!).ToList(); break;
                    case "CaEnabled": r.CaEnabled = (bool?)v; break;
                    case "IdleTimeout": r.IdleTimeout = (int?)v; break;
                    case "Cps": r.Cps = (int?)v; break;
                    case "Mss": r.Mss = (int?)v; break;
                    case "ProxyProtocolEnabled": r.ProxyProtocolEnabled = (bool?)v; break;
                    case "Ppv2VpcIdEnabled": Ppv2(r).Ppv2VpcIdEnabled = (bool?)v; break;
                    case "Ppv2PrivateLinkEpIdEnabled": Ppv2(r).Ppv2PrivateLinkEpIdEnabled = (bool?)v; break;
                    case "Ppv2PrivateLinkEpsIdEnabled": Ppv2(r).Ppv2PrivateLinkEpsIdEnabled = (bool?)v; break;
                    case "SecSensorEnabled": r.SecSensorEnabled = (bool?)v; break;
                    case "AlpnEnabled": r.AlpnEnabled = (bool?)v; break;
                    case "AlpnPolicy": r.AlpnPolicy = (string?)v; break;
                    default: throw new ArgumentException($"Unknown attribute {c.Name}.");
                }
            }
            return r;
        }

        /// <summary>"IdleTimeout 900 → 300, Cps 0 → 5000".</summary>
        public static string Describe(IEnumerable<ListenerChange> changes) => string.Join(", ", changes.Select(c => c.ToString()));

        private static ProxyProtocolV2Config Ppv2(UpdateListenerAttributeRequest r) => r.ProxyProtocolV2Config ??= new ProxyProtocolV2Config();
    }
}
