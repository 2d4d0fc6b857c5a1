using Bunit;
using CnnGrid.Dashboard.Components.Pages;
using CnnGrid.Dashboard.Tests.Recorded;

namespace CnnGrid.Dashboard.Tests.Components.Pages;

public sealed class WorkersPageTests : OrchestratedContext
{
    protected override OrchestratorRecording InitialRecording => RecordedSweeps.Running(completedTrials: 1);

    [Fact]
    public void Each_worker_shows_busy_slots_its_threads_and_cores_running_trials_and_throughput()
    {
        var page = Render<Workers>();
        page.WaitForElement("table.workers tbody tr");
        var worker = Orchestrator.Recording.Workers[0];
        var row = page.Find($"tr[data-worker='{worker.WorkerId}']");
        Assert.Equal($"{worker.RunningTrials.Count} / {worker.Slots}", row.QuerySelector("td.slots")!.TextContent);
        Assert.Equal($"{worker.ThreadsPerSlot} × {worker.Slots} / {worker.Cores}", row.QuerySelector("td.threads")!.TextContent);
        Assert.Equal(worker.RunningTrials, row.QuerySelectorAll("a.trial-link").Select(link => link.TextContent));
        Assert.Equal($"trials/{worker.RunningTrials[0]}", row.QuerySelector("a.trial-link")!.GetAttribute("href"));
        Assert.Contains("1234", row.TextContent);
    }
}
