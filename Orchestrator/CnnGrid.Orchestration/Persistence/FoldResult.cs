namespace CnnGrid.Orchestrator.Persistence;

/// <summary>One stored trial as the results count it: which configuration, seed and fold, and what it measured if it completed.</summary>
/// <param name="Completed">Whether the trial completed: only completed trials count towards a configuration's statistics.</param>
public readonly record struct FoldResult(
    string ConfigId, int Seed, int Fold, bool Completed, double? Accuracy, double? BestAccuracy, double? ValidationLoss)
{
    /// <summary>Epochs the trial has trained so far.</summary>
    public int? EpochsTrained { get; init; }

    /// <summary>The successive-halving rung its configuration was stopped at; null when it was not stopped by pruning.</summary>
    public int? StoppedAtRung { get; init; }
}
