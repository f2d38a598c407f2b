using System;
using System.Collections.Generic;
using System.Linq;
using NlbTools.Client.Models;

namespace NlbTools.Client.Rules
{
    /// <summary>One broken rule of UpdateListenerAttribute.</summary>
    public sealed class RuleViolation
    {
        public RuleViolation(string ruleId, string serviceCode, int httpStatus, string parameter, object? value, string message, bool isServerOwnedRange = false)
        {
            RuleId = ruleId;
            ServiceCode = serviceCode;
            HttpStatus = httpStatus;
            Parameter = parameter;
            Value = value;
            Message = message;
            IsServerOwnedRange = isServerOwnedRange;
        }

        /// <summary>Stable client-side ErrorId, e.g. IdleTimeoutOutOfRange.</summary>
        public string RuleId { get; }
        /// <summary>The code the service (and the emulator) answers with, e.g. IllegalParam.IdleTimeout.</summary>
        public string ServiceCode { get; }
        public int HttpStatus { get; }
        public string Parameter { get; }
        public object? Value { get; }
        /// <summary>Names the parameter, the value, the protocol and what is allowed.</summary>
        public string Message { get; }
        /// <summary>A numeric limit the service owns and may raise per account (IdleTimeout, Cps, Mss).</summary>
        public bool IsServerOwnedRange { get; }

        public override string ToString() => $"{RuleId} ({ServiceCode}): {Message}";
    }

    /// <summary>What the rules need to know about a server group.</summary>
    public sealed class ServerGroupFacts
    {
        public ServerGroupFacts(string protocol, bool preserveClientIpEnabled, string? vpcId = null)
        {
            Protocol = protocol;
            PreserveClientIpEnabled = preserveClientIpEnabled;
            VpcId = vpcId;
        }

        public string Protocol { get; }
        public bool PreserveClientIpEnabled { get; }
        public string? VpcId { get; }
    }

    /// <summary>
    /// The seed's rules for UpdateListenerAttribute, in one place: the cmdlets validate with them before
    /// sending, and the emulator answers with them. Facts: ../shared/seed/UpdateListenerAttribute.txt.
    /// </summary>
    public static class ListenerRules
    {
        public static readonly IReadOnlyList<string> Protocols = new[] { "TCP", "UDP", "TCPSSL" };
        public static readonly IReadOnlyList<string> ServerGroupProtocols = new[] { "TCP", "UDP", "TCP_UDP" };
        public static readonly IReadOnlyList<string> AlpnPolicies = new[] { "HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred" };

        /// <summary>Parameters that take effect only on TCPSSL listeners (TLS settings).</summary>
        public static readonly IReadOnlyList<string> TcpSslOnlyParameters = new[]
        {
            "SecurityPolicyId", "CertificateIds", "CaCertificateIds", "CaEnabled", "AlpnEnabled", "AlpnPolicy", "Mss",
        };

        public const int DescriptionMinLength = 2;
        public const int DescriptionMaxLength = 256;
        public const string DescriptionAllowedPunctuation = ",.;/@_-";
        public const int CpsMin = 0, CpsMax = 1000000;
        public const int MssMin = 0, MssMax = 1500;

        /// <summary>TCP and TCPSSL: 10–900; UDP: 10–20.</summary>
        public static (int Min, int Max) IdleTimeoutRange(string protocol)
            => string.Equals(protocol, "UDP", StringComparison.OrdinalIgnoreCase) ? (10, 20) : (10, 900);

        public static bool IsKnownProtocol(string? protocol)
            => protocol != null && Protocols.Contains(protocol.ToUpperInvariant());

        /// <summary>TCP: TCP or TCP_UDP. UDP: UDP or TCP_UDP. TCPSSL: TCP without client IP preservation.</summary>
        public static bool IsServerGroupCompatible(string listenerProtocol, ServerGroupFacts group)
        {
            var lp = listenerProtocol.ToUpperInvariant();
            var gp = group.Protocol.ToUpperInvariant();
            switch (lp)
            {
                case "TCP": return gp == "TCP" || gp == "TCP_UDP";
                case "UDP": return gp == "UDP" || gp == "TCP_UDP";
                case "TCPSSL": return gp == "TCP" && !group.PreserveClientIpEnabled;
                default: return false;
            }
        }

        public static string DescribeCompatibleServerGroups(string listenerProtocol)
        {
            switch (listenerProtocol.ToUpperInvariant())
            {
                case "TCP": return "TCP or TCP_UDP server groups";
                case "UDP": return "UDP or TCP_UDP server groups";
                case "TCPSSL": return "TCP server groups with client IP preservation disabled";
                default: return "no server groups";
            }
        }

        /// <summary>Null when the description is allowed, else why not.</summary>
        public static string? CheckDescription(string? description)
        {
            if (description == null) return null;
            if (description.Length < DescriptionMinLength || description.Length > DescriptionMaxLength)
                return $"must be {DescriptionMinLength} to {DescriptionMaxLength} characters long (it has {description.Length})";
            foreach (var c in description)
            {
                if (char.IsLetterOrDigit(c) || DescriptionAllowedPunctuation.IndexOf(c) >= 0) continue;
                var shown = Name(c);
                return $"contains {shown}; allowed are letters, digits and , . ; / @ _ -";
            }
            return null;
        }

        /// <summary>A character as a reader would name it: "a space", "a tab", or 'x'; U+ codes only for the invisible rest.</summary>
        private static string Name(char c)
        {
            switch (c)
            {
                case ' ': return "a space";
                case '\t': return "a tab";
                case '\n': case '\r': return "a line break";
                case '\u00A0': return "a non-breaking space";
            }
            if (char.IsSurrogate(c)) return "a symbol outside the allowed set (such as an emoji)";
            if (char.IsWhiteSpace(c)) return $"a space character (U+{(int)c:X4})";
            if (char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format) return $"an invisible character (U+{(int)c:X4})";
            return $"'{c}'";
        }

        /// <summary>
        /// Every rule the request breaks for a listener of the given protocol. Server-group and certificate
        /// existence are not checked here; pass the group's facts when known to check compatibility.
        /// </summary>
        public static IReadOnlyList<RuleViolation> Validate(string listenerProtocol, UpdateListenerAttributeRequest request, ServerGroupFacts? serverGroup = null)
        {
            var errors = new List<RuleViolation>();
            var protocol = listenerProtocol.ToUpperInvariant();

            if (protocol != "TCPSSL")
            {
                foreach (var name in TcpSslOnlyParameters)
                {
                    var value = ValueOf(request, name);
                    if (value == null) continue;
                    errors.Add(new RuleViolation("ParameterRequiresTcpSsl", "IllegalParam", 400, name, value,
                        $"{name} applies only to TCPSSL listeners; listener {request.ListenerId} uses {protocol}."));
                }
            }

            if (request.IdleTimeout is int idle)
            {
                var (min, max) = IdleTimeoutRange(protocol);
                if (idle < min || idle > max)
                    errors.Add(new RuleViolation("IdleTimeoutOutOfRange", "IllegalParam.IdleTimeout", 400, "IdleTimeout", idle,
                        $"IdleTimeout {idle} is out of range for a {protocol} listener: allowed are {min} to {max} seconds.", isServerOwnedRange: true));
            }

            var descriptionProblem = CheckDescription(request.ListenerDescription);
            if (descriptionProblem != null)
                errors.Add(new RuleViolation("InvalidListenerDescription", "IllegalParam", 400, "ListenerDescription", request.ListenerDescription,
                    $"ListenerDescription {descriptionProblem}."));

            if (request.Cps is int cps && (cps < CpsMin || cps > CpsMax))
                errors.Add(new RuleViolation("CpsOutOfRange", "IllegalParam", 400, "Cps", cps,
                    $"Cps {cps} is out of range: allowed are {CpsMin} to {CpsMax} (0 = unlimited).", isServerOwnedRange: true));

            if (request.Mss is int mss && (mss < MssMin || mss > MssMax))
                errors.Add(new RuleViolation("MssOutOfRange", "IllegalParam", 400, "Mss", mss,
                    $"Mss {mss} is out of range: allowed are {MssMin} to {MssMax} bytes (0 = unchanged).", isServerOwnedRange: true));

            if (request.AlpnEnabled == true && string.IsNullOrEmpty(request.AlpnPolicy))
                errors.Add(new RuleViolation("AlpnPolicyRequired", "IllegalParam", 400, "AlpnPolicy", null,
                    "AlpnPolicy is required when AlpnEnabled is true: one of " + string.Join(", ", AlpnPolicies) + "."));

            if (request.AlpnPolicy != null && !AlpnPolicies.Contains(request.AlpnPolicy))
                errors.Add(new RuleViolation("InvalidAlpnPolicy", "IllegalParam", 400, "AlpnPolicy", request.AlpnPolicy,
                    $"AlpnPolicy '{request.AlpnPolicy}' is not one of " + string.Join(", ", AlpnPolicies) + "."));

            // The seed: "The token can contain only ASCII characters." Printable ones: a control character in a
            // token is always a mistake (a pasted line break), and would be sent as-is.
            if (request.ClientToken is string token && token.Any(c => c < 0x20 || c > 0x7E))
                errors.Add(new RuleViolation("InvalidClientToken", "IllegalParam", 400, "ClientToken", token,
                    "ClientToken may contain only printable ASCII characters."));

            CheckCertificateList(errors, "CertificateIds", request.CertificateIds);
            CheckCertificateList(errors, "CaCertificateIds", request.CaCertificateIds);

            if (serverGroup != null && request.ServerGroupId != null && !IsServerGroupCompatible(protocol, serverGroup))
                errors.Add(new RuleViolation("ServerGroupProtocolMismatch", "IllegalParam", 400, "ServerGroupId", request.ServerGroupId,
                    $"Server group {request.ServerGroupId} ({serverGroup.Protocol}{(serverGroup.PreserveClientIpEnabled ? ", client IP preservation on" : "")}) cannot serve a {protocol} listener: it takes {DescribeCompatibleServerGroups(protocol)}."));

            return errors;
        }

        private static void CheckCertificateList(List<RuleViolation> errors, string name, List<string>? ids)
        {
            if (ids == null) return;
            if (ids.Any(string.IsNullOrWhiteSpace))
                errors.Add(new RuleViolation("EmptyCertificateId", "IllegalParam", 400, name, null, $"{name} contains an empty id."));
            if (ids.Count > 1)
            {
                var duplicate = ids.Count != ids.Distinct(StringComparer.Ordinal).Count();
                errors.Add(new RuleViolation("TooManyCertificates", "IllegalParamSize.certificateIds", 400, name, string.Join(",", ids),
                    $"{name} takes exactly one certificate id; {ids.Count} were given{(duplicate ? " (the same id repeated)" : "")}."));
            }
        }

        private static object? ValueOf(UpdateListenerAttributeRequest r, string name)
        {
            switch (name)
            {
                case "SecurityPolicyId": return r.SecurityPolicyId;
                case "CertificateIds": return r.CertificateIds;
                case "CaCertificateIds": return r.CaCertificateIds;
                case "CaEnabled": return r.CaEnabled;
                case "AlpnEnabled": return r.AlpnEnabled;
                case "AlpnPolicy": return r.AlpnPolicy;
                case "Mss": return r.Mss;
                default: return null;
            }
        }
    }
}
