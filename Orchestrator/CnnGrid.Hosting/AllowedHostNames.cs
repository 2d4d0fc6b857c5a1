using System.Net;
using Microsoft.AspNetCore.Builder;

namespace CnnGrid.Hosting;

/// <summary>
/// The names a request may give in its <c>Host</c> header (ASP.NET's host filtering, <c>AllowedHosts</c>). Unless
/// configured, a host bound to loopback or to given addresses answers only requests naming those, so that a web page
/// elsewhere whose name rebinds to 127.0.0.1 (DNS rebinding) cannot read the API or drive the dashboard through the
/// browser of someone on this machine. A host bound to every interface (<c>0.0.0.0</c>, <c>*</c>: containers) is
/// reached by names it cannot know and stays open unless <c>AllowedHosts</c> is set.
/// </summary>
public static class AllowedHostNames
{
    public const string Setting = "AllowedHosts";

    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Sets <c>AllowedHosts</c> from the host's <c>Urls</c> when the configuration does not set it.</summary>
    public static WebApplicationBuilder UseCnnGridAllowedHosts(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrEmpty(builder.Configuration[Setting]) && For(builder.Configuration["Urls"]) is { } names)
            builder.Configuration[Setting] = names;
        return builder;
    }

    /// <summary>The <c>AllowedHosts</c> value for these <c>Urls</c> (';'-separated); null to allow any name.</summary>
    public static string? For(string? urls)
    {
        var hosts = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri) ? uri.Host : null)
            .ToList();
        if (hosts.Count == 0 || hosts.Any(host => host is null || IsEveryInterface(host)))
            return null;
        var names = hosts.Select(host => host!).ToList();
        if (names.Any(IsLoopback))
            names.AddRange(LoopbackNames);
        return string.Join(';', names.Distinct(StringComparer.OrdinalIgnoreCase));
    }

    private static bool IsEveryInterface(string host) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any));

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
