namespace CnnGrid.Abstractions;

public enum TrialOutcome
{
    /// <summary>Trained every epoch, or stopped early for lack of improvement.</summary>
    Completed,

    /// <summary>The loss became NaN or infinite; retrying the same configuration would diverge again.</summary>
    Diverged,

    /// <summary>Stopped on request between batches.</summary>
    Cancelled,

    /// <summary>Training threw (bad data, out of memory); <see cref="TrialResult.Reason"/> says why.</summary>
    Failed,

    /// <summary>
    /// Trained to its rung (<see cref="TrialSpec.PauseAfterEpoch"/>) with that epoch's resume point stored: not final,
    /// its sweep stops or promotes it.
    /// </summary>
    Paused,
}
