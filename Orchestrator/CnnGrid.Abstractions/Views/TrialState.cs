namespace CnnGrid.Abstractions.Views;

/// <summary>Where a trial is in its life; stored lower-case in <c>trials.state</c>.</summary>
public enum TrialState
{
    Queued,
    Running,
    Completed,
    Failed,
    Diverged,
    Cancelled,
}
