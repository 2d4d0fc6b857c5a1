using CnnGrid.Dashboard.Tests.Recorded;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CnnGrid.Dashboard.Tests.EndToEnd;

/// <summary>
/// The dashboard in headless Chromium against the recorded orchestrator: a real browser, a real Blazor circuit,
/// real HTTP on both sides; only the cluster behind the API is a recording.
/// </summary>
public sealed class SweepPageBrowserTests(RecordedDashboard recorded) : IClassFixture<RecordedDashboard>
{
    RecordedOrchestrator orchestrator => recorded.Orchestrator;
    DashboardServer dashboard => recorded.Dashboard;
    HeadlessChromium chromium => recorded.Chromium;

    [Fact]
    public async Task A_finished_sweeps_page_shows_the_apis_mean_and_std_and_draws_its_charts()
    {
        var page = await chromium.OpenAsync(new Uri(dashboard.Address, "sweeps/smoke-finished"));
        await SweepPageCheck.AssertShowsApiAggregatesAndChartsAsync(page, orchestrator.Address, "smoke-finished", "sweep-finished-recorded");
    }

    [Fact]
    public async Task A_running_sweep_updates_in_the_open_page_within_two_seconds()
    {
        orchestrator.Recording = RecordedDashboard.InitialRecording;
        var page = await chromium.OpenAsync(new Uri(dashboard.Address, "sweeps/smoke-running"));
        await Expect(page.Locator(".sweep-header .progress .count")).ToHaveTextAsync("1 / 6");
        await page.Locator("button[data-sort='std']").ClickAsync();
        await Expect(page.Locator("button[data-sort='std']")).ToContainTextAsync("▲");

        orchestrator.Recording = RecordedSweeps.Merge(RecordedSweeps.Finished(), RecordedSweeps.Running(completedTrials: 4));
        await Expect(page.Locator(".sweep-header .progress .count")).ToHaveTextAsync("4 / 6", new() { Timeout = 2000 });
        await Screenshots.SaveAsync(page, "sweep-running-recorded");
    }

    [Fact]
    public async Task A_halving_sweeps_page_draws_its_rungs_and_downloads_its_refits_weights_through_the_dashboard()
    {
        orchestrator.Recording = RecordedSweeps.Merge(RecordedDashboard.InitialRecording, RecordedSweeps.Halving());
        try
        {
            await AssertHalvingPageAsync();
        }
        finally
        {
            // The class's other tests count the initial recording's sweeps.
            orchestrator.Recording = RecordedDashboard.InitialRecording;
        }
    }

    async Task AssertHalvingPageAsync()
    {
        var page = await chromium.OpenAsync(new Uri(dashboard.Address, "sweeps/halving-finished"));
        await Expect(page.Locator("figure.rung-chart g.rung-row.stopped")).ToHaveCountAsync(4);
        await Expect(page.Locator("section.refit strong.test-accuracy")).ToHaveTextAsync("87.50%");
        await Screenshots.SaveAsync(page, "sweep-halving-recorded");

        // The browser sends only its sign-in cookie; the dashboard host asks the orchestrator with the token.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("a.download[data-format='torchsharp']").ClickAsync());
        Assert.Equal("halving-finished-refit.bin", download.SuggestedFilename);
        Assert.Equal(RecordedOrchestrator.RefitWeights("halving-finished", "torchsharp"), await File.ReadAllBytesAsync((await download.PathAsync())!));
        Assert.Contains(orchestrator.Requests, request =>
            request.Path == "/api/sweeps/halving-finished/refit/weights?format=torchsharp" && request.Authorization == $"Bearer {RecordedDashboard.Token}");
    }

    [Fact]
    public async Task The_token_never_reaches_the_browser()
    {
        using var http = new HttpClient { BaseAddress = dashboard.Address };
        foreach (var path in new[] { "", "sweeps/smoke-running", "submit", "workers" })
            Assert.DoesNotContain(RecordedDashboard.Token, await http.GetStringAsync(path));

        var page = await chromium.OpenAsync(new Uri(dashboard.Address, "submit"));
        await Expect(page.Locator("p.trial-count")).ToHaveTextAsync("Expands to 6 trials.");
        await page.Locator("textarea").FillAsync("""{ "model": "nope", "folds": 2, "grid": { "dropout": [0.1, 0.2] } }""");
        await Expect(page.Locator("ul.problems")).ToContainTextAsync("unknown model 'nope'");
        await Screenshots.SaveAsync(page, "submit-problems-recorded");
        Assert.DoesNotContain(RecordedDashboard.Token, await page.ContentAsync());
    }

    [Fact]
    public async Task A_spec_of_60_KB_typed_into_the_submit_box_is_checked_like_any_other()
    {
        var page = await chromium.OpenAsync(new Uri(dashboard.Address, "submit"));
        await Expect(page.Locator("p.trial-count")).ToHaveTextAsync("Expands to 6 trials.");
        // Beyond Blazor's default 32 KB hub message, below the API's 64 KiB spec limit.
        var spec = "{ \"name\": \"large\", \"folds\": 4," + new string(' ', 60_000) + "\"grid\": { \"dropout\": [0.1, 0.2, 0.3] } }";

        await page.Locator("textarea").FillAsync(spec);

        await Expect(page.Locator("p.trial-count")).ToHaveTextAsync("Expands to 12 trials.");
    }

    [Fact]
    public async Task The_sweeps_and_workers_pages_render_in_the_browser()
    {
        var page = await chromium.OpenAsync(dashboard.Address);
        await Expect(page.Locator("table.sweeps tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("tr[data-sweep='smoke-finished'] td.best")).ToContainTextAsync("±");
        await Screenshots.SaveAsync(page, "sweeps-recorded");

        await page.Locator("nav.top a[href='workers']").ClickAsync();
        await Expect(page.Locator("tr[data-worker='worker-a'] td.slots")).ToHaveTextAsync("1 / 2");
        await Screenshots.SaveAsync(page, "workers-recorded");
    }
}
