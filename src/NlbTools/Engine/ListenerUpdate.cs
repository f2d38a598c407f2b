using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using NlbTools.Base;
using NlbTools.Client.Models;
using NlbTools.Client.Rules;

namespace NlbTools.Engine
{
    /// <summary>Set-NlbListenerAttribute's request (PATCH: only bound parameters) and the text it shows about an update.</summary>
    internal static class ListenerUpdate
    {
        /// <summary>Attribute parameters in API order; the request and the ShouldProcess text come from these.</summary>
        public static readonly string[] AttributeParameters =
        {
            "ListenerDescription", "ServerGroupId", "SecurityPolicyId", "CertificateIds", "CaCertificateIds", "CaEnabled", "IdleTimeout", "Cps", "Mss",
            "ProxyProtocolEnabled", "Ppv2VpcIdEnabled", "Ppv2PrivateLinkEpIdEnabled", "Ppv2PrivateLinkEpsIdEnabled", "SecSensorEnabled", "AlpnEnabled", "AlpnPolicy",
        };

        /// <summary>The request for one listener from the bound parameters; what is not bound stays null and is not sent.</summary>
        public static UpdateListenerAttributeRequest Request(IDictionary<string, object> bound, string listenerId, string? regionId, string? clientToken)
        {
            T? Get<T>(string name) => bound.TryGetValue(name, out var v) ? LanguagePrimitives.ConvertTo<T>(v) : default;
            int? Int(string name) => bound.ContainsKey(name) ? Get<int>(name) : (int?)null;
            bool? Flag(string name) => bound.ContainsKey(name) ? Get<bool>(name) : (bool?)null;
            List<string>? List(string name) => bound.ContainsKey(name) ? Get<string[]>(name)?.ToList() : null;

            var ppv2 = new ProxyProtocolV2Config
            {
                Ppv2VpcIdEnabled = Flag("Ppv2VpcIdEnabled"),
                Ppv2PrivateLinkEpIdEnabled = Flag("Ppv2PrivateLinkEpIdEnabled"),
                Ppv2PrivateLinkEpsIdEnabled = Flag("Ppv2PrivateLinkEpsIdEnabled"),
            };
            return new UpdateListenerAttributeRequest
            {
                RegionId = regionId,
                ListenerId = listenerId,
                ListenerDescription = Get<string>("ListenerDescription"),
                ServerGroupId = Get<string>("ServerGroupId"),
                SecurityPolicyId = Get<string>("SecurityPolicyId"),
                CertificateIds = List("CertificateIds"),
                CaCertificateIds = List("CaCertificateIds"),
                CaEnabled = Flag("CaEnabled"),
                IdleTimeout = Int("IdleTimeout"),
                Cps = Int("Cps"),
                Mss = Int("Mss"),
                ProxyProtocolEnabled = Flag("ProxyProtocolEnabled"),
                ProxyProtocolV2Config = ppv2.Ppv2VpcIdEnabled != null || ppv2.Ppv2PrivateLinkEpIdEnabled != null || ppv2.Ppv2PrivateLinkEpsIdEnabled != null ? ppv2 : null,
                SecSensorEnabled = Flag("SecSensorEnabled"),
                AlpnEnabled = Flag("AlpnEnabled"),
                AlpnPolicy = Get<string>("AlpnPolicy"),
                ClientToken = clientToken,
            };
        }

        /// <summary>NLB listener ids are lsn-&lt;id&gt;@&lt;port&gt;; anything else is a mistake the service need not see.</summary>
        public static bool LooksLikeListenerId(string id)
            => id.Length > 4 && id.StartsWith("lsn-", StringComparison.Ordinal)
               && id.All(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '@');

        /// <summary>A protocol-dependent rule applies, so the listener's protocol must be known (a TCPSSL-only parameter, a server group, a range).</summary>
        public static bool NeedsProtocol(IDictionary<string, object> bound, UpdateListenerAttributeRequest r, bool skipClientValidation)
            => ListenerRules.TcpSslOnlyParameters.Any(bound.ContainsKey) || r.ServerGroupId != null || (r.IdleTimeout != null && !skipClientValidation);

        /// <summary>
        /// The rules broken for this protocol. Without a protocol no protocol-dependent parameter is bound (NeedsProtocol),
        /// so any protocol yields exactly the protocol-independent rules (description, Cps).
        /// </summary>
        public static List<RuleViolation> Violations(UpdateListenerAttributeRequest request, string? protocol, ServerGroupFacts? group, bool skipClientValidation)
            => ListenerRules.Validate(protocol ?? "TCP", request, group).Where(v => !(skipClientValidation && v.IsServerOwnedRange)).ToList();

        public static ErrorRecord NoAttributeSpecified()
            => new ErrorRecord(new PSArgumentException("Name at least one attribute to change, e.g. -IdleTimeout 300 or -ListenerDescription web."),
                ErrorIds.NoAttributeSpecified, ErrorCategory.InvalidArgument, null);

        public static ErrorRecord NotAListenerId(string text)
            => ErrorRecords.InvalidInput($"'{text}' is not a listener id (ids look like lsn-0123abcd@443: lsn- then letters, digits and - _ . @). Pipe Get-NlbListener output or pass -ListenerId.",
                "ListenerId", ErrorIds.InvalidListenerId, text);

        public static ErrorRecord ClientTokenReused(string? token, string? firstListener, string listenerId)
            => ErrorRecords.InvalidInput($"-ClientToken '{token}' was already used for listener {firstListener}; a token identifies one update of one listener. Omit -ClientToken for many listeners (each update then gets its own token, kept across retries).",
                "ClientToken", ErrorIds.ClientTokenForOneListener, listenerId);

        /// <summary>Always names the listener, its protocol, the parameter and the value; the rule says what is allowed.</summary>
        public static ErrorRecord RuleError(RuleViolation v, string listenerId, string? protocol)
        {
            var value = v.Value == null ? "not given" : Show(v.Value);
            var message = $"Listener {listenerId}{(protocol != null ? $" ({protocol})" : "")}, -{v.Parameter} {value}: {v.Message}";
            var error = new PSArgumentException(message, v.Parameter);
            return new ErrorRecord(error, v.RuleId, ErrorCategory.InvalidArgument, listenerId) { ErrorDetails = new ErrorDetails(message) };
        }

        public static string Describe(string listenerId, string? protocol, string? regionId)
            => $"listener {listenerId}{(protocol != null ? $" ({protocol})" : "")}{(regionId != null ? $" in {regionId}" : "")}";

        /// <summary>A parameter value as the user would type it.</summary>
        public static string Show(object? value)
        {
            if (value is PSObject pso) value = pso.BaseObject;
            switch (value)
            {
                case null: return "(none)";
                case string s: return s;
                case bool b: return b ? "$true" : "$false";
                case System.Collections.IEnumerable list: return string.Join(",", list.Cast<object>());
                case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
                default: return value.ToString() ?? "";
            }
        }
    }
}
