using NlbTools.Client.Models;
using NlbTools.Client.Rules;
using NlbTools.Emulator.Api;
using NlbTools.Emulator.Jobs;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator.Nlb;

/// <summary>
/// Listener operations. Writes check, then start a job, in one section under the state gate, so two
/// concurrent writes to one listener cannot both pass the status check.
/// </summary>
internal static class ListenerActions
{
    public static object UpdateListenerAttribute(ActionContext c)
    {
        var p = c.Parameters;
        var request = new UpdateListenerAttributeRequest
        {
            ListenerId = p.Required("ListenerId"),
            RegionId = p.String("RegionId"),
            ListenerDescription = p.String("ListenerDescription"),
            ServerGroupId = p.String("ServerGroupId"),
            SecurityPolicyId = p.String("SecurityPolicyId"),
            CertificateIds = p.List("CertificateIds"),
            CaCertificateIds = p.List("CaCertificateIds"),
            CaEnabled = p.Bool("CaEnabled"),
            IdleTimeout = p.Int("IdleTimeout"),
            Cps = p.Int("Cps"),
            Mss = p.Int("Mss"),
            ProxyProtocolEnabled = p.Bool("ProxyProtocolEnabled"),
            ProxyProtocolV2Config = p.ProxyProtocolV2(),
            SecSensorEnabled = p.Bool("SecSensorEnabled"),
            AlpnEnabled = p.Bool("AlpnEnabled"),
            AlpnPolicy = p.String("AlpnPolicy"),
            ClientToken = p.String("ClientToken"),
            DryRun = p.Bool("DryRun"),
        };
        var state = c.State;
        lock (state.Gate)
        {
            var listener = FindListener(state, request.ListenerId, request.RegionId);
            if (EarlierJob(c) is Job earlier) return JobAnswer(earlier);
            var protocol = listener.ListenerProtocol!;
            var loadBalancer = state.FindLoadBalancer(listener.LoadBalancerId)!;

            ServerGroup? group = null;
            if (request.ServerGroupId != null)
                group = state.FindServerGroup(request.ServerGroupId) is { } g && g.RegionId == listener.RegionId
                    ? g : throw ApiError.ResourceNotFound("serverGroup", request.ServerGroupId);
            var facts = group == null ? null : new ServerGroupFacts(group.Protocol ?? "TCP", group.PreserveClientIpEnabled == true, group.VpcId);

            // The seed's per-protocol rules, from the one source the cmdlets validate with too.
            var violations = ListenerRules.Validate(protocol, request, facts);
            if (violations.Count > 0) throw new ApiError(violations[0].HttpStatus, violations[0].ServiceCode, violations[0].Message);

            if (group != null && group.VpcId != loadBalancer.VpcId)
                throw new ApiError(400, "Mismatch.VpcId", $"The VpcId is mismatched for {group.ServerGroupId} and {loadBalancer.LoadBalancerId}.");
            foreach (var id in request.CertificateIds ?? new())
                if (state.FindCertificate(id) is not { Type: "Server" } cert || cert.RegionId != listener.RegionId)
                    throw new ApiError(400, "ResourceNotFound.Certificate", $"The specified resource {id} is not found.");
            foreach (var id in request.CaCertificateIds ?? new())
                if (state.FindCertificate(id) is not { Type: "Ca" } ca || ca.RegionId != listener.RegionId)
                    throw new ApiError(404, "ResourceNotFound.CaCertificate", $"The specified resource of CaCertificate is not found: {id}.");
            if (request.SecurityPolicyId is { } policyId && !SystemSecurityPolicies.IsSystemPolicy(policyId)
                && state.FindCustomSecurityPolicy(policyId)?.RegionId != listener.RegionId)
                throw new ApiError(404, "ResourceNotFound.securitypolicy", $"The specified resource of securitypolicy is not found: {policyId}.");
            if (request.SecSensorEnabled == true && state.FindRegion(listener.RegionId)?.HdMonitorSupported == false)
                throw new ApiError(400, "OperationDenied.RegionNotSupportHDMonitor", $"The operation is not allowed because of RegionNotSupportHDMonitor (region {listener.RegionId}).");
            if (listener.ListenerStatus != "Running") throw ApiError.IncorrectListenerStatus(request.ListenerId);
            if (request.DryRun == true) throw ApiError.DryRunOperation();

            state.UpdateListener(request.ListenerId, l => l.ListenerStatus = "Configuring");
            var job = c.Runtime.StartJob(c, request.ListenerId, () => state.UpdateListener(request.ListenerId, l =>
            {
                Apply(l, request);
                l.ListenerStatus = "Running";
            }));
            return JobAnswer(job);
        }
    }

    public static object StartListener(ActionContext c) => ChangeRunState(c, from: "Stopped", during: "Starting", to: "Running");

    public static object StopListener(ActionContext c) => ChangeRunState(c, from: "Running", during: "Stopping", to: "Stopped");

    private static object ChangeRunState(ActionContext c, string from, string during, string to)
    {
        var p = c.Parameters;
        var listenerId = p.Required("ListenerId");
        var dryRun = p.Bool("DryRun") == true;
        var state = c.State;
        lock (state.Gate)
        {
            var listener = FindListener(state, listenerId, p.String("RegionId"));
            if (EarlierJob(c) is Job earlier) return JobAnswer(earlier);
            if (listener.ListenerStatus != from) throw ApiError.IncorrectListenerStatus(listenerId);
            if (dryRun) throw ApiError.DryRunOperation();
            state.UpdateListener(listenerId, l => l.ListenerStatus = during);
            var job = c.Runtime.StartJob(c, listenerId, () => state.UpdateListener(listenerId, l => l.ListenerStatus = to));
            return JobAnswer(job);
        }
    }

    public static object GetListenerAttribute(ActionContext c)
    {
        var p = c.Parameters;
        var listenerId = p.Required("ListenerId");
        Listener listener;
        lock (c.State.Gate) listener = FindListener(c.State, listenerId, p.String("RegionId"));
        if (p.Bool("DryRun") == true) throw ApiError.DryRunOperation();
        return Views.GetListener(listener);
    }

    public static object ListListeners(ActionContext c)
    {
        var p = c.Parameters;
        var regionId = p.String("RegionId");
        var ids = p.List("ListenerIds", maxCount: 20)?.ToHashSet(StringComparer.Ordinal);
        var loadBalancerIds = p.List("LoadBalancerIds", maxCount: 20)?.ToHashSet(StringComparer.Ordinal);
        var protocol = p.String("ListenerProtocol");
        if (protocol != null && !ListenerRules.IsKnownProtocol(protocol))
            throw ApiError.InvalidParameter("ListenerProtocol", $"'{protocol}' is not TCP, UDP or TCPSSL.");
        var secSensor = p.Bool("SecSensorEnabled");
        var tags = p.Tags();

        List<Listener> matches;
        lock (c.State.Gate)
        {
            matches = new List<Listener>();
            foreach (var l in c.State.Listeners)
            {
                if (regionId != null && l.RegionId != regionId) continue;
                if (ids != null && !ids.Contains(l.ListenerId!)) continue;
                if (loadBalancerIds != null && !loadBalancerIds.Contains(l.LoadBalancerId!)) continue;
                if (protocol != null && !string.Equals(l.ListenerProtocol, protocol, StringComparison.OrdinalIgnoreCase)) continue;
                if (secSensor != null && (l.SecSensorEnabled ?? false) != secSensor) continue;
                if (!Views.HasTags(l.Tags, tags)) continue;
                matches.Add(l);
            }
        }
        var (page, max, next) = Paging.Take(matches, p);
        return new
        {
            Listeners = page, // the model's Tags are already the List* {Key, Value} shape
            MaxResults = max,
            NextToken = next,
            TotalCount = matches.Count,
        };
    }

    /// <summary>Call under the gate. Unknown, or in another region than asked: ResourceNotFound.listener.</summary>
    private static Listener FindListener(StateStore state, string listenerId, string? regionId)
    {
        var listener = state.FindListener(listenerId);
        if (listener == null || (regionId != null && listener.RegionId != regionId))
            throw ApiError.ResourceNotFound("listener", listenerId);
        return listener;
    }

    /// <summary>Call under the gate. The job of an earlier request with the same ClientToken and parameters.</summary>
    private static Job? EarlierJob(ActionContext c)
    {
        var token = c.Parameters.String("ClientToken");
        if (token == null || c.Parameters.Bool("DryRun") == true) return null;
        return c.Runtime.Jobs.FindByToken(c.Action, token, EmulatorRuntime.ParameterSignature(c.Parameters.Values));
    }

    private static object JobAnswer(Job job) => new { JobId = job.JobId };

    private static void Apply(Listener l, UpdateListenerAttributeRequest r)
    {
        if (r.ListenerDescription != null) l.ListenerDescription = r.ListenerDescription;
        if (r.ServerGroupId != null) l.ServerGroupId = r.ServerGroupId;
        if (r.SecurityPolicyId != null) l.SecurityPolicyId = r.SecurityPolicyId;
        if (r.CertificateIds != null) l.CertificateIds = r.CertificateIds.ToList();
        if (r.CaCertificateIds != null) l.CaCertificateIds = r.CaCertificateIds.ToList();
        if (r.CaEnabled != null) l.CaEnabled = r.CaEnabled;
        if (r.IdleTimeout != null) l.IdleTimeout = r.IdleTimeout;
        if (r.Cps != null) l.Cps = r.Cps;
        if (r.Mss != null) l.Mss = r.Mss;
        if (r.ProxyProtocolEnabled != null) l.ProxyProtocolEnabled = r.ProxyProtocolEnabled;
        if (r.ProxyProtocolV2Config is { } v2)
        {
            var current = l.ProxyProtocolV2Config ??= new ProxyProtocolV2Config();
            current.Ppv2PrivateLinkEpIdEnabled = v2.Ppv2PrivateLinkEpIdEnabled ?? current.Ppv2PrivateLinkEpIdEnabled;
            current.Ppv2PrivateLinkEpsIdEnabled = v2.Ppv2PrivateLinkEpsIdEnabled ?? current.Ppv2PrivateLinkEpsIdEnabled;
            current.Ppv2VpcIdEnabled = v2.Ppv2VpcIdEnabled ?? current.Ppv2VpcIdEnabled;
        }
        if (r.SecSensorEnabled != null) l.SecSensorEnabled = r.SecSensorEnabled;
        if (r.AlpnEnabled != null) l.AlpnEnabled = r.AlpnEnabled;
        if (r.AlpnPolicy != null) l.AlpnPolicy = r.AlpnPolicy;
    }
}
