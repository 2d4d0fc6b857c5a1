using Microsoft.AspNetCore.Builder;

namespace CnnGrid.Dashboard.Tests.EndToEnd;

/// <summary>The dashboard as Program runs it, on a free loopback port, pointed at an orchestrator.</summary>
public sealed class DashboardServer : IAsyncDisposable
{
    readonly WebApplication app;

    DashboardServer(WebApplication app) => this.app = app;

    /// <summary>The dashboard's base address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Address => new(app.Urls.First() + "/");

    public static async Task<DashboardServer> StartAsync(Uri orchestrator, string? token = null)
    {
        var args = new List<string>
        {
            "--Urls=http://127.0.0.1:0",
            $"--Orchestrator:Url={orchestrator}",
            "--Logging:LogLevel:Default=Warning",
        };
        if (token is not null)
            args.Add($"--Api:Token={token}");
        var app = DashboardApp.Build([.. args]);
        await app.StartAsync();
        return new DashboardServer(app);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
