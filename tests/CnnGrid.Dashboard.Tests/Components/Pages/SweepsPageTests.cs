using Bunit;
using CnnGrid.Dashboard.Display;
using CnnGrid.Dashboard.Tests.Recorded;
using SweepsPage = CnnGrid.Dashboard.Components.Pages.Sweeps;

namespace CnnGrid.Dashboard.Tests.Components.Pages;

public sealed class SweepsPageTests : OrchestratedContext
{
    protected override OrchestratorRecording InitialRecording =>
        RecordedSweeps.Merge(RecordedSweeps.Finished(), RecordedSweeps.Running(completedTrials: 2));

    [Fact]
    public void Each_sweep_shows_state_progress_and_its_best_configuration_so_far()
    {
        var page = Render<SweepsPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("table.sweeps tbody tr").Count));
        var finished = page.Find("tr[data-sweep='smoke-finished']");
        Assert.Equal("completed", finished.QuerySelector(".state")!.TextContent);
        Assert.Equal("6 / 6", finished.QuerySelector(".progress .count")!.TextContent);
        var best = Orchestrator.Recording.Sweeps[0].Configs[0];
        page.WaitForAssertion(() => Assert.Contains(DisplayText.MeanStd(best.MeanAccuracy, best.StdAccuracy),
            page.Find("tr[data-sweep='smoke-finished'] td.best").TextContent));
        Assert.Contains("dropout=", page.Find("tr[data-sweep='smoke-finished'] td.best").TextContent);
    }

    [Fact]
    public void Only_a_running_sweep_has_a_remaining_time()
    {
        var page = Render<SweepsPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("table.sweeps tbody tr").Count));
        // Columns: sweep, state, progress, elapsed, remaining, best.
        Assert.Equal("—", page.FindAll("tr[data-sweep='smoke-finished'] td")[4].TextContent);
        Assert.NotEqual("—", page.FindAll("tr[data-sweep='smoke-running'] td")[4].TextContent);
        // Started 5 s after submission, finished 4 minutes after it.
        Assert.Equal("3m 55s", page.FindAll("tr[data-sweep='smoke-finished'] td")[3].TextContent);
    }

    [Fact]
    public void New_progress_shows_within_two_seconds()
    {
        var page = Render<SweepsPage>();
        page.WaitForAssertion(() => Assert.Equal("2 / 6", page.Find("tr[data-sweep='smoke-running'] .progress .count").TextContent));
        Orchestrator.Recording = RecordedSweeps.Merge(RecordedSweeps.Finished(), RecordedSweeps.Running(completedTrials: 5));
        page.WaitForAssertion(() => Assert.Equal("5 / 6", page.Find("tr[data-sweep='smoke-running'] .progress .count").TextContent), LiveUpdate);
    }

    [Fact]
    public void A_settled_sweep_is_asked_for_its_best_configuration_once()
    {
        var page = Render<SweepsPage>();
        page.WaitForAssertion(() => Assert.True(RequestsTo("GET", "/api/sweeps") >= 3), TimeSpan.FromSeconds(4));
        Assert.Equal(1, RequestsTo("GET", "/api/sweeps/smoke-finished"));
        Assert.True(RequestsTo("GET", "/api/sweeps/smoke-running") >= 3);
    }
}
