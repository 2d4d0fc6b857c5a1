
namespace CnnGrid.Abstractions.Views;

/// <summary>A trial with every epoch it recorded, in epoch order.</summary>
/// <param name="CheckpointEpoch">The epoch whose weights are stored; null when none are.</param>
public sealed record TrialDetail(TrialRecord Trial, IReadOnlyList<EpochMetrics> Epochs, int? CheckpointEpoch)
{
    /// <summary>The trial's dataset's class names, by label: what per-class accuracies and confusion matrices index.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];
}
