namespace CnnGrid.Abstractions.Views;

/// <summary>How many of a sweep's trials are in each state.</summary>
public sealed record TrialCounts(int Queued, int Running, int Completed, int Failed, int Diverged, int Cancelled)
{
    /// <summary>Trials paused at a successive-halving rung, waiting for their sweep to stop or promote them.</summary>
    public int Paused { get; init; }

    /// <summary>The sweep's refit while it waits for the other trials to end (0 or 1).</summary>
    public int Waiting { get; init; }

    /// <summary>Trials that have ended, however they ended.</summary>
    public int Done => Completed + Failed + Diverged + Cancelled;
}
