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

    /// <summary>Trained to its successive-halving rung; its sweep stops it there or queues it again for the next rung.</summary>
    Paused,

    /// <summary>A sweep's refit, waiting for the sweep's other trials to end and its best configuration to be known.</summary>
    Waiting,
}
