using System.Runtime.Versioning;
using System.Text.Json;
using CnnGrid.Cli.Tests;

namespace CnnGrid.Dashboard.Tests.EndToEnd;

/// <summary>
/// The sweep-page check against the real stack: <c>./cnngrid run examples/smoke.json</c> in a temporary home brings up
/// PostgreSQL, the orchestrator, two workers and the dashboard; the dashboard <c>up</c> started must show the finished
/// sweep's mean ± std exactly as the orchestrator's API has it, and draw its charts.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class StackSweepPageBrowserTests : IAsyncLifetime
{
    TemporaryStackHome stack = null!;

    public async Task InitializeAsync() => stack = await TemporaryStackHome.CreateAsync("cnngrid-dashboard-e2e-");

    public async Task DisposeAsync() => await stack.DisposeAsync();

    [Fact]
    public async Task The_stacks_dashboard_shows_a_finished_sweeps_mean_and_std_from_the_api_and_draws_its_charts()
    {
        var run = await CnnGridProcess.RunAsync("run", CnnGridProcess.Example("smoke.json"), "--home", stack.Path);
        Assert.True(run.ExitCode == 0, run.StandardError);
        var status = await CnnGridProcess.RunAsync("status", "--json", "--home", stack.Path);
        Assert.True(status.ExitCode == 0, status.StandardError);
        using var statusJson = JsonDocument.Parse(status.StandardOutput);
        var orchestrator = new Uri(statusJson.RootElement.GetProperty("orchestratorUrl").GetString()!.TrimEnd('/') + "/");
        var dashboard = new Uri(statusJson.RootElement.GetProperty("dashboardUrl").GetString()!.TrimEnd('/') + "/");
        var sweepId = await NewestCompletedSweepAsync(orchestrator);

        await using var chromium = await HeadlessChromium.LaunchAsync();
        await chromium.SignInAsync(dashboard, statusJson.RootElement.GetProperty("dashboardSignInUrl").GetString()!);
        var page = await chromium.OpenAsync(new Uri(dashboard, $"sweeps/{Uri.EscapeDataString(sweepId)}"));
        await SweepPageCheck.AssertShowsApiAggregatesAndChartsAsync(page, orchestrator, sweepId, "sweep-finished-stack");
        Assert.DoesNotContain((await File.ReadAllTextAsync(Path.Combine(stack.Path, "token"))).Trim(), await page.ContentAsync());
    }

    static async Task<string> NewestCompletedSweepAsync(Uri orchestrator)
    {
        using var http = new HttpClient { BaseAddress = orchestrator };
        using var sweeps = JsonDocument.Parse(await http.GetStringAsync("api/sweeps"));
        return sweeps.RootElement.EnumerateArray()
            .Where(sweep => sweep.GetProperty("state").GetString() == "completed")
            .OrderByDescending(sweep => sweep.GetProperty("createdAt").GetDateTimeOffset())
            .Select(sweep => sweep.GetProperty("id").GetString()!)
            .First();
    }
}
