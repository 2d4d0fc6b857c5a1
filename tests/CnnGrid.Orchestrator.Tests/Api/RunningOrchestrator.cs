using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CnnGrid.Orchestrator.Tests.Api;

/// <summary>The real orchestrator host (silo + HTTP API on a free loopback port) on a test database.</summary>
internal sealed class RunningOrchestrator : IAsyncDisposable
{
    private readonly WebApplication app;

    private RunningOrchestrator(WebApplication app, Uri address)
    {
        this.app = app;
        Client = new HttpClient { BaseAddress = address };
    }

    /// <summary>A client without credentials.</summary>
    public HttpClient Client { get; }

    /// <summary>The orchestrator silo's grains, to act as a worker.</summary>
    public IGrainFactory Grains => app.Services.GetRequiredService<IGrainFactory>();

    /// <param name="settings">More configuration, as <c>Key=Value</c> (e.g. <c>Api:Token=…</c>).</param>
    public static async Task<RunningOrchestrator> StartAsync(string connectionString, params string[] settings)
    {
        string[] args =
        [
            $"--ConnectionStrings:CnnGrid={connectionString}",
            "--Urls=http://127.0.0.1:0",
            $"--Cluster:SiloPort={FreeLoopbackPort()}",
            $"--Cluster:GatewayPort={FreeLoopbackPort()}",
            "--Logging:LogLevel:Default=Warning",
            .. settings.Select(setting => "--" + setting),
        ];
        var app = await OrchestratorHost.CreateAsync(args);
        await app.StartAsync();
        return new RunningOrchestrator(app, new Uri(app.Urls.Single()));
    }

    /// <summary>A client sending <c>Authorization: Bearer <paramref name="token"/></c>.</summary>
    public HttpClient ClientWithToken(string token)
    {
        var client = new HttpClient { BaseAddress = Client.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
