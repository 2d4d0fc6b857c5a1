namespace CnnGrid.Dashboard.Display;

/// <summary>How long a sweep has run and, at the pace of its finished trials, how long it still needs.</summary>
public static class ProgressEstimate
{
    /// <summary>From start to finish, or to <paramref name="now"/> while it runs; null before it starts.</summary>
    public static TimeSpan? Elapsed(SweepSummary sweep, DateTimeOffset now) =>
        sweep.StartedAt is { } started ? (sweep.FinishedAt ?? now) - started : null;

    /// <summary>Elapsed time per finished trial × trials left; null unless it runs and has finished a trial.</summary>
    public static TimeSpan? Remaining(SweepSummary sweep, DateTimeOffset now)
    {
        var done = sweep.Trials.Done;
        if (sweep.State != SweepState.Running || done == 0 || Elapsed(sweep, now) is not { } elapsed)
            return null;
        return elapsed / done * Math.Max(0, sweep.TotalTrials - done);
    }

    /// <summary>
    /// A sweep that ended and has no trial left queued or running no longer changes (a cancelled sweep's trials
    /// stop a little after the sweep does), so pages stop polling it.
    /// </summary>
    public static bool IsSettled(SweepSummary sweep) =>
        sweep.State is SweepState.Completed or SweepState.Failed or SweepState.Cancelled
        && sweep.Trials.Queued == 0 && sweep.Trials.Running == 0;
}
