namespace CnnGrid.Abstractions.Views;

/// <summary>Where a sweep is in its life; stored lower-case in <c>sweeps.state</c>.</summary>
public enum SweepState
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}
