using CnnGrid.Abstractions;

namespace CnnGrid.Dashboard.Display;

/// <summary>
/// A configuration's per-class accuracy and confusion at each fold's best epoch (highest validation accuracy,
/// the epoch whose weights the trial keeps): per-class spread over folds, confusion counts summed.
/// </summary>
/// <param name="Folds">Curves that had at least one epoch.</param>
/// <param name="Confusion">[true class][predicted class] counts over all those folds' validation images.</param>
public sealed record BestEpochSummary(int Folds, IReadOnlyList<Spread> Classes, long[][] Confusion)
{
    /// <summary>Null while no curve has an epoch.</summary>
    public static BestEpochSummary? Over(IEnumerable<TrialCurve> curves)
    {
        var best = curves.Where(curve => curve.Epochs.Count > 0).Select(curve => BestEpoch(curve.Epochs)).ToList();
        if (best.Count == 0)
            return null;
        var classes = best[0].PerClassAccuracy.Length;
        var spreads = Enumerable.Range(0, classes)
            .Select(label => Spread.Of(best.Select(epoch => epoch.PerClassAccuracy[label]).ToList()))
            .ToList();
        var confusion = Enumerable.Range(0, classes)
            .Select(row => Enumerable.Range(0, classes).Select(column => best.Sum(epoch => (long)epoch.ConfusionMatrix[row][column])).ToArray())
            .ToArray();
        return new BestEpochSummary(best.Count, spreads, confusion);
    }

    /// <summary>The epoch with the highest validation accuracy; the first on a tie, as the trainer picks it.</summary>
    public static EpochMetrics BestEpoch(IReadOnlyList<EpochMetrics> epochs) =>
        epochs.Aggregate((best, epoch) => epoch.ValidationAccuracy > best.ValidationAccuracy ? epoch : best);
}
