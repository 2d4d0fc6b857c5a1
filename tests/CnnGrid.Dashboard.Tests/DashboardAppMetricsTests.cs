using CnnGrid.Dashboard.Tests.EndToEnd;

namespace CnnGrid.Dashboard.Tests;

public sealed class DashboardAppMetricsTests
{
    [Fact]
    public async Task The_dashboard_serves_Prometheus_metrics_without_asking_the_orchestrator()
    {
        // Nothing listens on the discard port: /metrics must not depend on the orchestrator.
        await using var dashboard = await DashboardServer.StartAsync(new Uri("http://127.0.0.1:9/"));
        using var http = new HttpClient { BaseAddress = dashboard.Address };

        var exposition = await http.GetStringAsync("metrics");

        // The runtime's and Kestrel's meters (this very connection is open).
        Assert.Matches(@"(?m)^dotnet_gc_collections_total\{", exposition);
        Assert.Matches(@"(?m)^kestrel_active_connections\{[^}]*\} 1( |$)", exposition);
    }
}
