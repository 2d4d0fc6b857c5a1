namespace CnnGrid.Abstractions.Views;

/// <summary>A sweep's row and its progress.</summary>
/// <param name="Reason">Why the sweep failed or was cancelled, if it says.</param>
public sealed record SweepSummary(
    string Id,
    string Name,
    SweepState State,
    int TotalTrials,
    TrialCounts Trials,
    string? Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);
