using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CnnGrid.Hosting.Tests;

/// <summary>A minimal web host on a free loopback port, set up as every CnnGrid role is: metrics added and mapped.</summary>
internal sealed class MetricsHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private MetricsHost(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    /// <summary>The host's meter factory: meters created here are the ones its provider may export.</summary>
    public IMeterFactory Meters => app.Services.GetRequiredService<IMeterFactory>();

    public static async Task<MetricsHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddCnnGridMetrics();
        var app = builder.Build();
        app.MapCnnGridMetrics();
        app.MapGet("/", () => "CnnGrid test host");
        await app.StartAsync();
        // After start, the bound address with the port the system chose.
        var address = app.Urls.Single();
        return new MetricsHost(app, new Uri(address));
    }

    /// <summary>The exposition a scrape gets now.</summary>
    public Task<string> ScrapeAsync() => Http.GetStringAsync(MetricsHosting.ScrapePath);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
