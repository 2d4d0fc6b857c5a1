using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace CnnGrid.Hosting;

/// <summary>
/// Configures OpenTelemetry metrics the same way in every CnnGrid host: CnnGrid's own meters, the .NET runtime,
/// ASP.NET Core and Orleans, exported for Prometheus to scrape at <see cref="ScrapePath"/>.
/// </summary>
public static class MetricsHosting
{
    /// <summary>Every CnnGrid meter's name starts with this, so a host exports the ones it creates without listing them.</summary>
    public const string MeterPrefix = "CnnGrid.";

    /// <summary>The meter Orleans' silos and clients record on.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Where every role serves its metrics.</summary>
    public const string ScrapePath = "/metrics";

    /// <summary>Registers the meter provider and the Prometheus exporter; map the endpoint with <see cref="MapCnnGridMetrics"/>.</summary>
    public static TBuilder AddCnnGridMetrics<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MeterPrefix + "*", OrleansMeter)
            .AddRuntimeInstrumentation()
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>
    /// Where Prometheus scrapes this host, from the address its server listens on (a wildcard address becomes the
    /// host's name); null while the server has not started or when the host serves no HTTP.
    /// </summary>
    public static string? ScrapeUrl(IServer? server)
    {
        if (server?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is not { } address)
        {
            return null;
        }
        var url = new UriBuilder(address) { Path = ScrapePath };
        if (url.Host is "0.0.0.0" or "[::]")
        {
            url.Host = Dns.GetHostName();
        }
        return url.Uri.ToString();
    }

    /// <summary>Serves the Prometheus text exposition at <see cref="ScrapePath"/>.</summary>
    public static IEndpointConventionBuilder MapCnnGridMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPrometheusScrapingEndpoint(ScrapePath);
    }
}
