
namespace CnnGrid.Abstractions.Views;

/// <summary>
/// A trial's row: its spec, its current attempt and, once it has ended, what it measured. Not its lease id, which
/// lets a worker report for the attempt: that stays inside the cluster (<c>UnfinishedTrial</c>).
/// </summary>
/// <param name="Ordinal">Position in the sweep's plan; queued trials run in this order.</param>
/// <param name="Attempts">Attempts started so far.</param>
/// <param name="BestEpoch">1-based; 0 when no epoch finished.</param>
/// <param name="TrainSeconds">Sum of the epochs' durations.</param>
/// <param name="ResumedFromEpoch">
/// The current attempt continued after this epoch, from the resume point of a lost attempt (which trained epochs up to
/// it); null when the attempt started at epoch 1.
/// </param>
public sealed record TrialRecord(
    string Id,
    string SweepId,
    int Ordinal,
    string ConfigId,
    int Fold,
    int Seed,
    TrialState State,
    string? Worker,
    int Attempts,
    DateTimeOffset? LeaseExpiresAt,
    TrialOutcome? Outcome,
    string? Reason,
    int? EpochsTrained,
    double? FinalValidationAccuracy,
    double? FinalValidationLoss,
    double? BestValidationAccuracy,
    int? BestEpoch,
    double? TestAccuracy,
    double? TrainSeconds,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    TrialSpec Spec,
    int? ResumedFromEpoch = null);
