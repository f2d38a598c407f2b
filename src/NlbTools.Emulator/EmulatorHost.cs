using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NlbTools.Emulator.Api;
using NlbTools.Emulator.Control;
using NlbTools.Emulator.Identity;
using NlbTools.Emulator.Nlb;
using NlbTools.Emulator.State;

namespace NlbTools.Emulator;

/// <summary>A running emulator: Kestrel on the given address, the RPC endpoint, the control endpoints.</summary>
internal sealed class EmulatorHost : IAsyncDisposable
{
    public const string NlbVersion = "2022-04-30";

    private EmulatorHost(WebApplication app, EmulatorRuntime runtime, string endpoint)
    {
        App = app;
        Runtime = runtime;
        Endpoint = endpoint;
    }

    public WebApplication App { get; }
    public EmulatorRuntime Runtime { get; }
    /// <summary>http://HOST:PORT with the port actually bound.</summary>
    public string Endpoint { get; }

    /// <summary>
    /// THE place where RPC actions are registered, one line each (see <see cref="ActionTable"/>).
    /// Identity extensions (src/NlbTools.Emulator/Identity/) add their lines at the end, e.g.
    /// <c>actions.Register("2015-04-01", "AssumeRole", StsActions.AssumeRole);</c>
    /// </summary>
    internal static void RegisterActions(ActionTable actions)
    {
        actions.Register(NlbVersion, "UpdateListenerAttribute", ListenerActions.UpdateListenerAttribute);
        actions.Register(NlbVersion, "GetListenerAttribute", ListenerActions.GetListenerAttribute);
        actions.Register(NlbVersion, "ListListeners", ListenerActions.ListListeners);
        actions.Register(NlbVersion, "StartListener", ListenerActions.StartListener);
        actions.Register(NlbVersion, "StopListener", ListenerActions.StopListener);
        actions.Register(NlbVersion, "GetJobStatus", JobActions.GetJobStatus);
        actions.Register(NlbVersion, "ListAsynJobs", JobActions.ListAsynJobs);
        actions.Register(NlbVersion, "ListServerGroups", CatalogActions.ListServerGroups);
        actions.Register(NlbVersion, "ListSecurityPolicy", CatalogActions.ListSecurityPolicy);
        actions.Register(NlbVersion, "ListSystemSecurityPolicy", CatalogActions.ListSystemSecurityPolicy);
        actions.Register(NlbVersion, "DescribeRegions", CatalogActions.DescribeRegions);
        actions.Register(NlbVersion, "GetLoadBalancerAttribute", CatalogActions.GetLoadBalancerAttribute);
        actions.Register(NlbVersion, "ListLoadBalancers", CatalogActions.ListLoadBalancers);
        actions.Register(StsActions.Version, "AssumeRole", StsActions.AssumeRole);
        actions.RegisterUnsigned(StsActions.Version, "AssumeRoleWithOIDC", StsActions.AssumeRoleWithOidc);
    }

    /// <summary>
    /// Routes outside the RPC endpoint, one line each: Identity/ maps the ECS metadata service here, e.g.
    /// <c>app.MapGet("/latest/meta-data/ram/security-credentials/{role}", http => ...)</c>.
    /// </summary>
    internal static void MapExtensionRoutes(WebApplication app, EmulatorRuntime runtime)
    {
        MetadataService.Map(app, runtime);
    }

    /// <param name="seed">Makes a fresh seed state (at start and on every reset).</param>
    public static async Task<EmulatorHost> StartAsync(EmulatorOptions options, Func<StateDocument> seed, TimeProvider? clock = null)
    {
        var runtime = new EmulatorRuntime(options, seed, clock);
        RegisterActions(runtime.Actions);

        // The empty builder reads no configuration files or environment: quick to start, nothing surprising.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = Array.Empty<string>(), ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(options); // the control endpoints read --control-token from it
        // stdout belongs to the JSON line; diagnostics go to stderr.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // A backstop: no route reads more than RpcEndpoint.MaxBodyBytes and each answers RequestEntityTooLarge
            // in the gateway's JSON first; the margin lets a connection survive a slightly oversized body.
            k.Limits.MaxRequestBodySize = 4L * RpcEndpoint.MaxBodyBytes;
            k.Listen(ResolveAddress(options.Host), options.Port);
        });
        var app = builder.Build();

        app.Use(HostAllowList.Middleware(options));
        ControlEndpoints.Map(app, runtime);
        MapExtensionRoutes(app, runtime);
        app.Map("/", http => RpcEndpoint.HandleAsync(http, runtime));
        app.MapFallback(http => RpcEndpoint.HandleAsync(http, runtime));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorHost(app, runtime, address.TrimEnd('/'));
    }

    private static IPAddress ResolveAddress(string host)
    {
        if (IPAddress.TryParse(host, out var ip)) return ip;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        return Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new ArgumentException($"--host '{host}' does not resolve to an address.");
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await App.StopAsync(timeout.Token); }
        finally { await App.DisposeAsync(); }
    }
}
