using System.Net;
using Microsoft.AspNetCore.Http;

namespace NlbTools.Emulator.Api;

/// <summary>
/// Every route (API, STS, metadata, control) answers only a Host header naming the address the request came in
/// on: the local IP and port of the connection, "localhost" when that IP is loopback, or the --host name as given.
/// A web page that rebinds its own DNS name to 127.0.0.1 sends its name as Host, so it is refused (DNS rebinding).
/// </summary>
internal static class HostAllowList
{
    public static Func<HttpContext, RequestDelegate, Task> Middleware(EmulatorOptions options) => (http, next) =>
    {
        if (IsAllowed(http.Request.Host, http.Connection.LocalIpAddress, http.Connection.LocalPort, options.Host)) return next(http);
        var requestId = Guid.NewGuid().ToString().ToUpperInvariant();
        http.Response.Headers["x-acs-request-id"] = requestId;
        return RpcEndpoint.WriteErrorAsync(http, requestId, new ApiError(403, "Forbidden.Host",
            $"The Host header must name the address this emulator listens on ({Allowed(http.Connection.LocalIpAddress, http.Connection.LocalPort, options.Host)}); " +
            "a request for another name is refused, so that a web page cannot reach the emulator through DNS rebinding."));
    };

    public static bool IsAllowed(HostString host, IPAddress? localAddress, int localPort, string configuredHost)
    {
        if (!host.HasValue || localAddress == null) return false;
        if ((host.Port ?? 80) != localPort) return false;
        var name = host.Host;
        var local = Unmap(localAddress);
        if (IPAddress.TryParse(name.Trim('[', ']'), out var named)) return Unmap(named).Equals(local);
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.IsLoopback(local);
        // --host given as a name (not an address): that name, and only that one.
        return !IPAddress.TryParse(configuredHost, out _) && string.Equals(name, configuredHost, StringComparison.OrdinalIgnoreCase);
    }

    private static string Allowed(IPAddress? localAddress, int port, string configuredHost)
    {
        if (localAddress == null) return "its address and port";
        var local = Unmap(localAddress);
        var names = new List<string> { new IPEndPoint(local, port).ToString() };
        if (IPAddress.IsLoopback(local)) names.Add("localhost:" + port);
        if (!IPAddress.TryParse(configuredHost, out _) && !string.Equals(configuredHost, "localhost", StringComparison.OrdinalIgnoreCase)) names.Add(configuredHost + ":" + port);
        return string.Join(" or ", names);
    }

    private static IPAddress Unmap(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
}
