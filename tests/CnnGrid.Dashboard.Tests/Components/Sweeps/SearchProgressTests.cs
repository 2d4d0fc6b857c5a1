using Bunit;
using CnnGrid.Dashboard.Components.Sweeps;
using CnnGrid.Dashboard.Display;
using CnnGrid.Dashboard.Tests.Recorded;

namespace CnnGrid.Dashboard.Tests.Components.Sweeps;

/// <summary>How far successive halving and the refit are, from the sweep's counts and configurations.</summary>
public sealed class SearchProgressTests : BunitContext
{
    static readonly SweepView Halving = RecordedSweeps.Halving().Sweeps[0];

    IRenderedComponent<SearchProgress> RenderProgress(SweepState state, int waiting, bool refitDone = false) =>
        Render<SearchProgress>(parameters => parameters
            .Add(p => p.Sweep, Halving.Summary with { State = state, Trials = Halving.Summary.Trials with { Waiting = waiting } })
            .Add(p => p.Configs, Halving.Configs)
            .Add(p => p.Search, SpecSearch.Of(Halving))
            .Add(p => p.RefitDone, refitDone));

    [Fact]
    public void Halving_says_its_rungs_and_how_many_configurations_go_on()
    {
        var progress = RenderProgress(SweepState.Running, waiting: 1);
        Assert.Contains("rungs at 1, 3, 9 epochs", progress.Find("p.halving").TextContent);
        Assert.Contains($"1 of {Halving.Configs.Count} configurations going on", progress.Find("p.halving").TextContent);
    }

    [Fact]
    public void The_refit_waits_for_the_other_trials_then_runs_and_once_done_leaves_it_to_the_panel()
    {
        Assert.Equal("refit of the best configuration waiting for the other trials", RenderProgress(SweepState.Running, waiting: 1).Find("p.refit-status").TextContent);
        Assert.Equal("refit of the best configuration running", RenderProgress(SweepState.Running, waiting: 0).Find("p.refit-status").TextContent);
        Assert.Empty(RenderProgress(SweepState.Completed, waiting: 0, refitDone: true).FindAll("p.refit-status"));
        Assert.Empty(RenderProgress(SweepState.Cancelled, waiting: 0).FindAll("p.refit-status"));
    }
}
