using CnnGrid.Abstractions;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>What one finished trial contributes to its configuration's statistics.</summary>
/// <param name="Accuracy">Validation accuracy after the last epoch trained: the fold's cross-validation score.</param>
/// <param name="BestAccuracy">Highest validation accuracy of any epoch.</param>
/// <param name="ValidationLoss">Validation loss after the last epoch trained.</param>
[GenerateSerializer, Immutable]
public sealed record FoldMeasurement(double Accuracy, double BestAccuracy, double ValidationLoss)
{
    /// <summary>The measurement of a trial's result, or null when no epoch finished (nothing was measured).</summary>
    public static FoldMeasurement? FromResult(TrialResult result)
    {
        if (result.Epochs.Count == 0)
        {
            return null;
        }
        var last = result.Epochs[^1];
        return new FoldMeasurement(
            last.ValidationAccuracy,
            result.Epochs.Max(epoch => epoch.ValidationAccuracy),
            last.ValidationLoss);
    }
}
