using CnnGrid.Dashboard.Display;

namespace CnnGrid.Dashboard.Tests.Display;

public sealed class ProgressEstimateTests
{
    static readonly DateTimeOffset Started = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    static SweepSummary Sweep(SweepState state, int completed, int running, int queued, DateTimeOffset? finished = null) =>
        new("s", "s", state, 10, new TrialCounts(queued, running, completed, 0, 0, 0), null, Started.AddMinutes(-1), Started, finished);

    [Fact]
    public void Remaining_time_extrapolates_the_pace_so_far()
    {
        var sweep = Sweep(SweepState.Running, completed: 4, running: 2, queued: 4);
        Assert.Equal(TimeSpan.FromMinutes(8), ProgressEstimate.Elapsed(sweep, Started.AddMinutes(8)));
        Assert.Equal(TimeSpan.FromMinutes(12), ProgressEstimate.Remaining(sweep, Started.AddMinutes(8))); // 2 min per trial × 6 left
    }

    [Fact]
    public void No_estimate_before_a_trial_finishes_or_after_the_sweep_ends()
    {
        Assert.Null(ProgressEstimate.Remaining(Sweep(SweepState.Running, 0, 2, 8), Started.AddMinutes(5)));
        var done = Sweep(SweepState.Completed, 10, 0, 0, Started.AddMinutes(20));
        Assert.Null(ProgressEstimate.Remaining(done, Started.AddHours(3)));
        Assert.Equal(TimeSpan.FromMinutes(20), ProgressEstimate.Elapsed(done, Started.AddHours(3)));
    }

    [Fact]
    public void A_cancelled_sweep_settles_only_when_its_trials_have_stopped()
    {
        Assert.False(ProgressEstimate.IsSettled(Sweep(SweepState.Cancelled, 3, 2, 0)));
        Assert.True(ProgressEstimate.IsSettled(Sweep(SweepState.Cancelled, 3, 0, 0)));
        Assert.False(ProgressEstimate.IsSettled(Sweep(SweepState.Running, 10, 0, 0)));
    }
}
