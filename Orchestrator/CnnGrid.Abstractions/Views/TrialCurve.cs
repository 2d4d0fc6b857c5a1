namespace CnnGrid.Abstractions.Views;

/// <summary>The epochs one trial of a configuration has recorded: one learning curve of that configuration.</summary>
public sealed record TrialCurve(string TrialId, int Fold, int Seed, TrialState State, IReadOnlyList<EpochMetrics> Epochs);
