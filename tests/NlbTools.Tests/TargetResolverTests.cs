using NlbTools.Client.Credentials;
using NlbTools.Session;

namespace NlbTools.Tests;

/// <summary>
/// The precedence rule as the README and about_NlbTools state it: "a parameter on one call beats the session,
/// which beats the environment, which beats the profile files", for credentials, region and endpoint.
/// The sources are fakes: an environment and profile files that each may or may not give a value.
/// </summary>
public class TargetResolverTests
{
    private static readonly Uri ParamEndpoint = new("http://127.0.0.1:18081/");
    private static readonly Uri SessionEndpoint = new("http://127.0.0.1:18082/");

    /// <summary>An environment (key and region variables) in front of the profile files (the current profile, and named ones).</summary>
    private sealed class FakeSources : ITargetSources
    {
        public static readonly ICredentialsProvider EnvKey = Key("environment");
        public static readonly ICredentialsProvider FileKey = Key("cli-profile:default (AK)");
        public static readonly ICredentialsProvider NamedKey = Key("cli-profile:prod (AK)");

        public bool EnvHasKey { get; init; }
        public string? EnvRegion { get; init; }
        public string? FileRegion { get; init; }
        public string? NamedProfileRegion { get; init; } = "cn-shanghai";

        /// <summary>The default chain: the environment's key if it has one, else the profile file's.</summary>
        public ICredentialsProvider DefaultChain() => EnvHasKey ? EnvKey : FileKey;

        public ResolvedProfile Profile(string name)
            => name == "prod" ? new ResolvedProfile(NamedKey, NamedProfileRegion, NamedKey.Source)
                              : throw new NlbCredentialsException($"Profile '{name}' was not found.");

        public string? DefaultRegionId() => EnvRegion ?? FileRegion;

        public string? EnvironmentRegionId() => EnvRegion;
    }

    private static ICredentialsProvider Key(string source) => new StaticCredentialsProvider("LTAI5tResolverTest0001", "resolver-secret", null, source);

    private static readonly ICredentialsProvider SessionKey = Key("explicit (session)");
    private static readonly ICredentialsProvider CallKey = Key("explicit (call)");

    private sealed record Row(TargetRequest Call, SessionContext? Session, FakeSources Sources, string KeySource, string? Region, Uri? Endpoint);

    // name: the call's parameters, the session context, environment/files; expected key source, region, endpoint
    private static readonly Dictionary<string, Row> s_rows = new()
    {
        ["files only"] = new(new(), null, new() { FileRegion = "cn-beijing" }, "cli-profile:default (AK)", "cn-beijing", null),
        ["environment beats files"] = new(new(), null, new() { EnvHasKey = true, EnvRegion = "cn-hangzhou", FileRegion = "cn-beijing" }, "environment", "cn-hangzhou", null),
        ["session beats environment"] = new(new(), new(SessionKey, "cn-shenzhen", SessionEndpoint, null), new() { EnvHasKey = true, EnvRegion = "cn-hangzhou" },
            "explicit (session)", "cn-shenzhen", SessionEndpoint),
        ["session without a region: the environment's"] = new(new(), new(SessionKey, null, null, null), new() { EnvRegion = "cn-hangzhou", FileRegion = "cn-beijing" },
            "explicit (session)", "cn-hangzhou", null),
        ["session of the default chain: the environment's key"] = new(new(), new(null, "cn-shenzhen", null, null), new() { EnvHasKey = true },
            "environment", "cn-shenzhen", null),
        ["parameters beat the session"] = new(new() { RegionId = "ap-southeast-1", Endpoint = ParamEndpoint }, new(SessionKey, "cn-shenzhen", SessionEndpoint, null),
            new() { EnvHasKey = true, EnvRegion = "cn-hangzhou" }, "explicit (session)", "ap-southeast-1", ParamEndpoint),
        ["-Profile beats the session's key and region"] = new(new() { Profile = "prod" }, new(SessionKey, "cn-shenzhen", SessionEndpoint, null), new(),
            "cli-profile:prod (AK)", "cn-shanghai", SessionEndpoint),
        ["-RegionId beats the -Profile's region_id"] = new(new() { Profile = "prod", RegionId = "eu-central-1" }, null, new() { EnvRegion = "cn-hangzhou" },
            "cli-profile:prod (AK)", "eu-central-1", null),
        ["-Profile without region_id: the region variables, not the session's nor the current profile's"] = new(new() { Profile = "prod" },
            new(SessionKey, "cn-shenzhen", null, null), new() { NamedProfileRegion = null, EnvRegion = "cn-hangzhou", FileRegion = "cn-beijing" },
            "cli-profile:prod (AK)", "cn-hangzhou", null),
        ["keys given on the call beat everything"] = new(new() { Credentials = CallKey, Profile = "prod" }, new(SessionKey, null, null, null), new() { EnvHasKey = true, EnvRegion = "cn-hangzhou" },
            "explicit (call)", "cn-hangzhou", null),
        ["blank parameters count as not given"] = new(new() { RegionId = "  " }, new(SessionKey, "cn-shenzhen", null, null), new(),
            "explicit (session)", "cn-shenzhen", null),
    };

    public static TheoryData<string> Rows => new(s_rows.Keys);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Precedence(string name)
    {
        var row = s_rows[name];
        var target = new TargetResolver(row.Sources).Resolve(row.Call, row.Session);

        Assert.True(row.KeySource == target.Provider.Source, $"{name}: key from {target.Provider.Source}");
        Assert.True(row.Region == target.RegionId, $"{name}: region {target.RegionId}");
        Assert.Equal(row.Endpoint, target.Endpoint);
        Assert.True(target.CanAddress);
    }

    [Fact]
    public void TheDefaultChainIsMarkedSoConnectNlbCanStoreItAsTheDefault()
    {
        var sources = new FakeSources { EnvHasKey = true, EnvRegion = "cn-hangzhou" };
        Assert.True(new TargetResolver(sources).Resolve(new TargetRequest(), null).IsDefaultChain);
        Assert.False(new TargetResolver(sources).Resolve(new TargetRequest { Profile = "prod" }, null).IsDefaultChain);
        Assert.False(new TargetResolver(sources).Resolve(new TargetRequest(), new SessionContext(SessionKey, null, null, null)).IsDefaultChain);
    }

    [Fact]
    public void NoRegionAndNoEndpointCannotAddressARequestUnlessTheCallWorksInAnyRegion()
    {
        var sources = new FakeSources();
        Assert.False(new TargetResolver(sources).Resolve(new TargetRequest(), null).CanAddress);
        Assert.Equal("cn-hangzhou", new TargetResolver(sources).Resolve(new TargetRequest(), null, fallbackRegion: "cn-hangzhou").RegionId);
        // With an endpoint there is no need for a region, and the fallback is not invented.
        var toEndpoint = new TargetResolver(sources).Resolve(new TargetRequest { Endpoint = ParamEndpoint }, null, fallbackRegion: "cn-hangzhou");
        Assert.True(toEndpoint.CanAddress);
        Assert.Null(toEndpoint.RegionId);
    }

    [Fact]
    public void AProfileWithoutARegionNeverBorrowsAnotherOne()
    {
        // Issue 16.1: the current profile's region_id (cn-beijing) and the session's belong to other credentials.
        var sources = new FakeSources { NamedProfileRegion = null, FileRegion = "cn-beijing" };
        var session = new SessionContext(SessionKey, "cn-shenzhen", null, null);
        var target = new TargetResolver(sources).Resolve(new TargetRequest { Profile = "prod" }, session);
        Assert.Null(target.RegionId);
        Assert.False(target.CanAddress);
        Assert.Equal("prod", target.ProfileWithoutRegion);
        // With an endpoint the call still has no region of its own to send.
        Assert.Equal("prod", new TargetResolver(sources).Resolve(new TargetRequest { Profile = "prod", Endpoint = ParamEndpoint }, session).ProfileWithoutRegion);
        Assert.Null(new TargetResolver(sources).Resolve(new TargetRequest { Profile = "prod", RegionId = "cn-hangzhou" }, session).ProfileWithoutRegion);
        Assert.Equal("cli-profile:prod (AK)", target.Provider.Source);
    }

    [Fact]
    public void AProfileThatDoesNotExistIsACredentialsError()
    {
        var e = Assert.Throws<NlbCredentialsException>(() => new TargetResolver(new FakeSources()).Resolve(new TargetRequest { Profile = "prdo" }, null));
        Assert.Contains("prdo", e.Message);
    }

    [Fact]
    public void TheDefaultRegionIsReadOncePerResolver()
    {
        var counting = new CountingSources();
        var resolver = new TargetResolver(counting);
        resolver.Resolve(new TargetRequest(), null);
        resolver.Resolve(new TargetRequest(), null);
        Assert.Equal(1, counting.RegionReads);
    }

    private sealed class CountingSources : ITargetSources
    {
        public int RegionReads;
        public ICredentialsProvider DefaultChain() => FakeSources.EnvKey;
        public ResolvedProfile Profile(string name) => throw new NlbCredentialsException("none");
        public string? DefaultRegionId() { RegionReads++; return "cn-hangzhou"; }
        public string? EnvironmentRegionId() => null;
    }
}
