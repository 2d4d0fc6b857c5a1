using Bunit;
using CnnGrid.Dashboard.Components.Sweeps;
using CnnGrid.Dashboard.Tests.Recorded;

namespace CnnGrid.Dashboard.Tests.Components.Sweeps;

public sealed class SweepProgressTests : BunitContext
{
    static readonly SweepSummary Running = RecordedSweeps.Running(completedTrials: 2).Sweeps[0].Summary;

    [Fact]
    public void Trials_paused_at_a_rung_are_counted_and_none_says_nothing()
    {
        var paused = Render<SweepProgress>(parameters => parameters.Add(p => p.Sweep, Running with { Trials = Running.Trials with { Paused = 4 } }));
        Assert.Equal("4 paused at a rung", paused.Find("span.paused").TextContent);

        var none = Render<SweepProgress>(parameters => parameters.Add(p => p.Sweep, Running));
        Assert.Empty(none.FindAll("span.paused"));
    }
}
