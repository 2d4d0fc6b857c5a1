using System.Text.Json;

namespace CnnGrid.Dashboard.Tests.EndToEnd;

/// <summary>
/// The same sweep-page check against the real stack: the dashboard started against the orchestrator named by
/// <c>CNNGRID_E2E_ORCHESTRATOR_URL</c>, on the sweep named by <c>CNNGRID_E2E_SWEEP</c> or else its newest completed one.
/// </summary>
public sealed class StackSweepPageBrowserTests
{
    [StackFact]
    public async Task A_finished_sweep_of_the_real_stack_shows_the_apis_mean_and_std_and_draws_its_charts()
    {
        var orchestrator = new Uri(Environment.GetEnvironmentVariable(StackFactAttribute.OrchestratorUrlVariable)!.TrimEnd('/') + "/");
        var sweepId = Environment.GetEnvironmentVariable("CNNGRID_E2E_SWEEP") ?? await NewestCompletedSweepAsync(orchestrator);
        await using var dashboard = await DashboardServer.StartAsync(orchestrator);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.OpenAsync(new Uri(dashboard.Address, $"sweeps/{Uri.EscapeDataString(sweepId)}"));
        await SweepPageCheck.AssertShowsApiAggregatesAndChartsAsync(page, orchestrator, sweepId, "sweep-finished-stack");
    }

    static async Task<string> NewestCompletedSweepAsync(Uri orchestrator)
    {
        using var http = new HttpClient { BaseAddress = orchestrator };
        using var sweeps = JsonDocument.Parse(await http.GetStringAsync("api/sweeps"));
        return sweeps.RootElement.EnumerateArray()
            .Where(sweep => sweep.GetProperty("state").GetString() == "completed")
            .OrderByDescending(sweep => sweep.GetProperty("createdAt").GetDateTimeOffset())
            .Select(sweep => sweep.GetProperty("id").GetString()!)
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"the orchestrator at {orchestrator} has no completed sweep: run a small one first (examples/smoke.json)");
    }
}
