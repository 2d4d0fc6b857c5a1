using System.Runtime.Versioning;
using System.Text.Json;
using CnnGrid.Testing.RealStack;

namespace CnnGrid.Dashboard.Tests.EndToEnd;

/// <summary>
/// The sweep-page check against the run's shared real stack (PostgreSQL, the orchestrator, two workers, the
/// dashboard <c>up</c> started): after examples/smoke.json has run there, the dashboard must show the finished sweep's
/// mean ± std exactly as the orchestrator's API has it, and draw its charts.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(SharedStack.Collection)]
public sealed class StackSweepPageBrowserTests(SharedStack shared)
{
    [Fact]
    public async Task The_stacks_dashboard_shows_a_finished_sweeps_mean_and_std_from_the_api_and_draws_its_charts()
    {
        string sweepId;
        using (await RealStackTurn.TakeAsync())
            sweepId = await shared.SubmitAndWaitAsync(CnnGridProcess.Example("smoke.json"));
        var status = await CnnGridProcess.RunAsync("status", "--json", "--home", shared.Home.Path);
        Assert.True(status.ExitCode == 0, status.StandardError);
        using var statusJson = JsonDocument.Parse(status.StandardOutput);
        var dashboard = new Uri(statusJson.RootElement.GetProperty("dashboardUrl").GetString()!.TrimEnd('/') + "/");

        await using var chromium = await HeadlessChromium.LaunchAsync();
        await chromium.SignInAsync(dashboard, statusJson.RootElement.GetProperty("dashboardSignInUrl").GetString()!);
        var page = await chromium.OpenAsync(new Uri(dashboard, $"sweeps/{Uri.EscapeDataString(sweepId)}"));
        await SweepPageCheck.AssertShowsApiAggregatesAndChartsAsync(page, shared.Orchestrator, sweepId, "sweep-finished-stack");
        Assert.DoesNotContain((await File.ReadAllTextAsync(Path.Combine(shared.Home.Path, "token"))).Trim(), await page.ContentAsync());
    }
}
