namespace CnnGrid.Abstractions.Views;

/// <summary>How many of a sweep's trials are in each state.</summary>
public sealed record TrialCounts(int Queued, int Running, int Completed, int Failed, int Diverged, int Cancelled)
{
    /// <summary>Trials that have ended, however they ended.</summary>
    public int Done => Completed + Failed + Diverged + Cancelled;
}
