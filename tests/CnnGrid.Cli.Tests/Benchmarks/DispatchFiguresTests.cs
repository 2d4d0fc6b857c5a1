using CnnGrid.Cli.Benchmarks;

namespace CnnGrid.Cli.Tests.Benchmarks;

/// <summary>The perfect schedule and the overhead against it (<see cref="DispatchBenchmarkOptions"/>, <see cref="DispatchMeasurement"/>, <see cref="DispatchBenchmarkReport"/>).</summary>
public sealed class DispatchFiguresTests
{
    [Theory]
    // 10,000 trials on 2 × 128 slots: 39 full waves and one of 16, so 40 waves.
    [InlineData(10_000, 2, 128, 1.5, 2, 40 * 1.5 * 2)]
    [InlineData(256, 2, 128, 1, 1, 1)]
    [InlineData(257, 2, 128, 1, 1, 2)]
    [InlineData(10_000, 2, 128, 0, 1, 0)]
    public void The_ideal_is_whole_waves_of_every_slot_times_the_trial_length(int trials, int workers, int slots, double seconds, int epochs, double ideal)
    {
        var options = new DispatchBenchmarkOptions(trials, workers, slots, [seconds], epochs, Rounds: 1);

        Assert.Equal(ideal, options.IdealSeconds(seconds), precision: 12);
    }

    [Fact]
    public void Overhead_is_wall_over_ideal_minus_one_and_absent_without_an_ideal()
    {
        Assert.Equal(0.25, new DispatchMeasurement(1, 100, WallSeconds: 5, TrainSeconds: 100, IdealSeconds: 4).Overhead!.Value, precision: 12);
        Assert.Null(new DispatchMeasurement(0, 100, WallSeconds: 0.5, TrainSeconds: 0, IdealSeconds: 0).Overhead);
        Assert.Equal(200, new DispatchMeasurement(0, 100, WallSeconds: 0.5, TrainSeconds: 0, IdealSeconds: 0).TrialsPerSecond, precision: 12);
    }

    [Fact]
    public void The_report_summarises_each_variant_over_its_own_rounds()
    {
        var options = new DispatchBenchmarkOptions(100, 1, 10, [0, 1], Epochs: 1, Rounds: 3);
        var report = new DispatchBenchmarkReport(options,
        [
            new(0, 100, 1, 0, 0), new(1, 100, 11, 100, 10),
            new(0, 100, 2, 0, 0), new(1, 100, 12, 100, 10),
            new(0, 100, 4, 0, 0), new(1, 100, 15, 100, 10),
        ]);

        var (noop, timed) = (report.Variants[0], report.Variants[1]);
        Assert.Equal((0, new MedianRange(2, 1, 4), new MedianRange(50, 25, 100), (MedianRange?)null),
            (noop.TrialSeconds, noop.WallSeconds, noop.TrialsPerSecond, noop.Overhead));
        Assert.Equal((10, new MedianRange(12, 11, 15)), (timed.IdealSeconds, timed.WallSeconds));
        Assert.Equal(0.2, timed.Overhead!.Median, precision: 12);
        Assert.Equal((0.1, 0.5), (Math.Round(timed.Overhead.Min, 12), Math.Round(timed.Overhead.Max, 12)));
    }

    [Theory]
    [InlineData(15, 1, 1, 1, 1, "--trials")]
    [InlineData(100, 0, 1, 1, 1, "--workers")]
    [InlineData(100, 1, 1, 0, 1, "--epochs")]
    [InlineData(100, 1, 1, 1, 0, "--rounds")]
    public void Options_out_of_range_are_named(int trials, int workers, int slots, int epochs, int rounds, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => new DispatchBenchmarkOptions(trials, workers, slots, [0], epochs, rounds).Validate());

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Trial_seconds_must_be_a_noop_epoch_length()
    {
        var error = Assert.Throws<ArgumentException>(() => new DispatchBenchmarkOptions(100, 1, 1, [1, -1], 1, 1).Validate());

        Assert.Contains("--trial-seconds", error.Message);
    }
}
