namespace CnnGrid.Cli.Benchmarks;

/// <summary>One timed run of a dispatch benchmark's trials.</summary>
/// <param name="TrialSeconds">How long each noop epoch slept.</param>
/// <param name="WallSeconds">From the first submit until every sweep was seen completed, i.e. every trial's end persisted.</param>
/// <param name="TrainSeconds">The sum of the trials' own reported durations (their epochs' seconds).</param>
/// <param name="IdealSeconds">The perfect schedule's length (<see cref="DispatchBenchmarkOptions.IdealSeconds"/>).</param>
internal sealed record DispatchMeasurement(double TrialSeconds, int CompletedTrials, double WallSeconds, double TrainSeconds, double IdealSeconds)
{
    public double TrialsPerSecond => CompletedTrials / WallSeconds;

    /// <summary>wall / ideal − 1: the time lost against the perfect schedule; none for trials that take no time.</summary>
    public double? Overhead => IdealSeconds > 0 ? WallSeconds / IdealSeconds - 1 : null;
}
