using NlbTools.Client.Models;

namespace NlbTools.Emulator.State;

/// <summary>
/// The built-in state used when no --state file is given (issue 3 §8): two regions (cn-shanghai without HD
/// monitoring), three load balancers, listeners of every protocol including a port range, server groups of
/// every protocol (one with client IP preservation, one in another VPC), custom security policies and
/// server/CA certificates. The keys are fake and fixed so that examples and docs can name them.
/// </summary>
internal static class DemoState
{
    /// <summary>The key the emulator prints on start.</summary>
    public const string AccessKeyId = "LTAI5tNlbEmulatorDemo";
    public const string AccessKeySecret = "NlbEmulatorDemoSecret0000000000";
    /// <summary>A key that may read but not change anything.</summary>
    public const string ReadOnlyAccessKeyId = "LTAI5tNlbEmulatorReadOnly";
    public const string ReadOnlyAccessKeySecret = "NlbEmulatorReadOnlySecret000000";
    /// <summary>STS credentials: requests must carry the security token.</summary>
    public const string StsAccessKeyId = "STS.NlbEmulatorDemo";
    public const string StsAccessKeySecret = "NlbEmulatorStsSecret00000000000";
    public const string StsSecurityToken = "NlbEmulatorDemoSecurityToken";

    public const string Hangzhou = "cn-hangzhou";
    public const string Shanghai = "cn-shanghai";

    public static StateDocument Create()
    {
        var d = new StateDocument
        {
            AccessKeys =
            {
                new() { AccessKeyId = AccessKeyId, AccessKeySecret = AccessKeySecret },
                new() { AccessKeyId = ReadOnlyAccessKeyId, AccessKeySecret = ReadOnlyAccessKeySecret, DeniedActions = new() { "UpdateListenerAttribute", "StartListener", "StopListener" } },
                new() { AccessKeyId = StsAccessKeyId, AccessKeySecret = StsAccessKeySecret, SecurityToken = StsSecurityToken },
            },
            Regions =
            {
                new() { RegionId = Hangzhou, LocalName = "China (Hangzhou)", HdMonitorSupported = true },
                new() { RegionId = Shanghai, LocalName = "China (Shanghai)", HdMonitorSupported = false },
            },
            LoadBalancers =
            {
                LoadBalancer("nlb-hzweb01", "web-frontend", Hangzhou, "vpc-hz-main", "Internet"),
                LoadBalancer("nlb-hzedge01", "edge-services", Hangzhou, "vpc-hz-main", "Intranet"),
                LoadBalancer("nlb-shapp01", "app-backend", Shanghai, "vpc-sh-main", "Intranet"),
            },
            ServerGroups =
            {
                Group("sgp-hztcp01", "web-tcp", Hangzhou, "vpc-hz-main", "TCP", preserveClientIp: false, "nlb-hzweb01"),
                Group("sgp-hztcpip01", "web-tcp-clientip", Hangzhou, "vpc-hz-main", "TCP", preserveClientIp: true, "nlb-hzweb01"),
                Group("sgp-hzudp01", "dns-udp", Hangzhou, "vpc-hz-main", "UDP", preserveClientIp: true, "nlb-hzweb01", "nlb-hzedge01"),
                Group("sgp-hztcpudp01", "mixed-tcp-udp", Hangzhou, "vpc-hz-main", "TCP_UDP", preserveClientIp: true, "nlb-hzedge01"),
                Group("sgp-hzothervpc01", "other-vpc-tcp", Hangzhou, "vpc-hz-other", "TCP", preserveClientIp: false),
                Group("sgp-shtcp01", "app-tcp", Shanghai, "vpc-sh-main", "TCP", preserveClientIp: false, "nlb-shapp01"),
                Group("sgp-shudp01", "app-udp", Shanghai, "vpc-sh-main", "UDP", preserveClientIp: true, "nlb-shapp01"),
            },
            SecurityPolicies =
            {
                new() { SecurityPolicyId = "tls-hzcustom01", SecurityPolicyName = "hz-modern", RegionId = Hangzhou, TlsVersion = "TLSv1.2,TLSv1.3", Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256,ECDHE-RSA-AES128-GCM-SHA256,TLS_AES_128_GCM_SHA256" },
                new() { SecurityPolicyId = "tls-shcustom01", SecurityPolicyName = "sh-compat", RegionId = Shanghai, TlsVersion = "TLSv1.1,TLSv1.2", Ciphers = "ECDHE-RSA-AES128-SHA,ECDHE-RSA-AES128-GCM-SHA256" },
            },
            Certificates =
            {
                new() { CertificateId = "12315790-cn-hangzhou", CertificateName = "www.example.com", RegionId = Hangzhou, Type = "Server" },
                new() { CertificateId = "12315791-cn-hangzhou", CertificateName = "api.example.com", RegionId = Hangzhou, Type = "Server" },
                new() { CertificateId = "ca-hzroot01", CertificateName = "example-root-ca", RegionId = Hangzhou, Type = "Ca" },
                new() { CertificateId = "12315800-cn-shanghai", CertificateName = "app.example.com", RegionId = Shanghai, Type = "Server" },
                new() { CertificateId = "ca-shroot01", CertificateName = "example-sh-ca", RegionId = Shanghai, Type = "Ca" },
            },
            Listeners =
            {
                Tcp("lsn-hzweb01@80", "nlb-hzweb01", 80, "sgp-hztcpip01", "web-http", ("env", "prod")),
                Tls("lsn-hzweb01@443", "nlb-hzweb01", 443, "sgp-hztcp01", "web-https", "12315790-cn-hangzhou", ("env", "prod")),
                Udp("lsn-hzweb01@53", "nlb-hzweb01", 53, "sgp-hzudp01", "dns", ("env", "prod")),
                Stopped(Tcp("lsn-hzweb01@8080", "nlb-hzweb01", 8080, "sgp-hztcp01", "web-staging", ("env", "test"))),
                Tls("lsn-hzweb01@8443", "nlb-hzweb01", 8443, "sgp-hztcp01", "web-api-tls", "12315791-cn-hangzhou", ("env", "test")),
                Range(Tcp("lsn-hzedge01@0", "nlb-hzedge01", 0, "sgp-hztcpudp01", "edge-port-range", ("env", "prod")), 10000, 10100),
                Udp("lsn-hzedge01@514", "nlb-hzedge01", 514, "sgp-hztcpudp01", "syslog"),
                Tcp("lsn-hzedge01@22", "nlb-hzedge01", 22, "sgp-hztcpudp01", "bastion-ssh"),
                Tls("lsn-hzedge01@993", "nlb-hzedge01", 993, "sgp-hztcp01", "imaps", "12315790-cn-hangzhou"),
                Tcp("lsn-shapp01@80", "nlb-shapp01", 80, "sgp-shtcp01", "app-http", ("env", "prod")),
                Tls("lsn-shapp01@443", "nlb-shapp01", 443, "sgp-shtcp01", "app-https", "12315800-cn-shanghai", ("env", "prod")),
                Udp("lsn-shapp01@123", "nlb-shapp01", 123, "sgp-shudp01", "ntp"),
                Tcp("lsn-shapp01@3306", "nlb-shapp01", 3306, "sgp-shtcp01", "mysql", ("env", "prod")),
            },
        };
        StateLoader.ApplyDefaults(d);
        return d;
    }

    private static LoadBalancer LoadBalancer(string id, string name, string region, string vpc, string addressType) => new()
    {
        LoadBalancerId = id,
        LoadBalancerName = name,
        RegionId = region,
        VpcId = vpc,
        AddressType = addressType,
        ZoneMappings = new()
        {
            new() { ZoneId = region + "-h", VSwitchId = "vsw-" + id.Substring(4) + "h", Status = "Active" },
            new() { ZoneId = region + "-i", VSwitchId = "vsw-" + id.Substring(4) + "i", Status = "Active" },
        },
    };

    private static ServerGroup Group(string id, string name, string region, string vpc, string protocol, bool preserveClientIp, params string[] loadBalancers) => new()
    {
        ServerGroupId = id,
        ServerGroupName = name,
        RegionId = region,
        VpcId = vpc,
        Protocol = protocol,
        PreserveClientIpEnabled = preserveClientIp,
        ServerCount = 2,
        RelatedLoadBalancerIds = loadBalancers.ToList(),
        HealthCheck = new HealthCheck { HealthCheckEnabled = true, HealthCheckType = protocol == "UDP" ? "UDP" : "TCP", HealthCheckConnectTimeout = 5, HealthCheckInterval = 10, HealthyThreshold = 2, UnhealthyThreshold = 2 },
    };

    private static Listener Tcp(string id, string lb, int port, string group, string description, params (string Key, string Value)[] tags)
        => Listener(id, lb, "TCP", port, group, description, tags);

    private static Listener Udp(string id, string lb, int port, string group, string description, params (string Key, string Value)[] tags)
        => Listener(id, lb, "UDP", port, group, description, tags);

    private static Listener Tls(string id, string lb, int port, string group, string description, string certificate, params (string Key, string Value)[] tags)
    {
        var l = Listener(id, lb, "TCPSSL", port, group, description, tags);
        l.CertificateIds = new() { certificate };
        l.SecurityPolicyId = "tls_cipher_policy_1_2";
        return l;
    }

    private static Listener Listener(string id, string lb, string protocol, int port, string group, string description, (string Key, string Value)[] tags) => new()
    {
        ListenerId = id,
        LoadBalancerId = lb,
        ListenerProtocol = protocol,
        ListenerPort = port,
        ServerGroupId = group,
        ListenerDescription = description,
        Tags = tags.Select(t => new Tag(t.Key, t.Value)).ToList(),
    };

    private static Listener Stopped(Listener l) { l.ListenerStatus = "Stopped"; return l; }

    private static Listener Range(Listener l, int start, int end)
    {
        l.StartPort = start.ToString(System.Globalization.CultureInfo.InvariantCulture);
        l.EndPort = end.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return l;
    }
}
