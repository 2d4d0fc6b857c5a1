using Bunit;
using CnnGrid.Dashboard.Components.Pages;
using CnnGrid.Dashboard.Tests.Recorded;

namespace CnnGrid.Dashboard.Tests.Components.Pages;

/// <summary>The sweep page of a successive-halving sweep with its refit, against a grid's, both from the recorded orchestrator.</summary>
public sealed class HalvingSweepPageTests : OrchestratedContext
{
    protected override OrchestratorRecording InitialRecording => RecordedSweeps.Merge(RecordedSweeps.Halving(), RecordedSweeps.Finished());

    SweepView Halving => Orchestrator.Recording.Sweeps[0];

    IRenderedComponent<Sweep> RenderSweep(string id)
    {
        var page = Render<Sweep>(parameters => parameters.Add(sweep => sweep.Id, id));
        page.WaitForElement("table.configs tbody tr");
        return page;
    }

    [Fact]
    public void A_halving_sweep_shows_its_rung_chart_epochs_and_stops_in_the_table_and_its_refit()
    {
        var page = RenderSweep("halving-finished");
        Assert.Equal(Halving.Configs.Select(config => config.ConfigId), page.FindAll("figure.rung-chart g.rung-row").Select(row => row.GetAttribute("data-config")));
        foreach (var config in Halving.Configs)
        {
            var epochs = page.Find($"tr[data-config='{config.ConfigId}'] td.epochs").TextContent;
            Assert.StartsWith(config.EpochsTrained.ToString(), epochs.Trim());
            Assert.Equal(config.StoppedAtRung is { } rung ? $"stopped at rung {rung}" : null,
                page.Find($"tr[data-config='{config.ConfigId}'] td.epochs").QuerySelector("span.flag.stopped")?.TextContent);
        }
        Assert.Contains($"1 of {Halving.Configs.Count} configurations going on", page.Find("p.search-progress.halving").TextContent);
        Assert.Equal("87.50%", page.Find("section.refit strong.test-accuracy").TextContent);
        Assert.Empty(page.FindAll("p.refit-status"));
    }

    [Fact]
    public void A_grid_has_no_rung_chart_no_halving_progress_and_no_refit()
    {
        var page = RenderSweep("smoke-finished");
        Assert.Empty(page.FindAll("figure.rung-chart"));
        Assert.Empty(page.FindAll("p.search-progress"));
        Assert.Empty(page.FindAll("section.refit"));
    }
}
