using CnnGrid.Abstractions;
using CnnGrid.Dashboard.Display;

namespace CnnGrid.Dashboard.Tests.Display;

public sealed class BestEpochSummaryTests
{
    static EpochMetrics Epoch(int number, double accuracy, double[] perClass, int[][] confusion) => new()
    {
        Epoch = number, TrainLoss = 1, TrainAccuracy = accuracy, ValidationLoss = 1, ValidationAccuracy = accuracy,
        PerClassAccuracy = perClass, ConfusionMatrix = confusion, DurationSeconds = 1, ImagesPerSecond = 1,
    };

    static TrialCurve Curve(int fold, params EpochMetrics[] epochs) => new($"t{fold}", fold, 42, TrialState.Completed, epochs);

    [Fact]
    public void The_first_epoch_with_the_highest_validation_accuracy_is_best_as_the_trainer_picks_it()
    {
        var epochs = new[]
        {
            Epoch(1, 0.6, [0.6, 0.6], [[3, 2], [2, 3]]),
            Epoch(2, 0.8, [0.8, 0.8], [[4, 1], [1, 4]]),
            Epoch(3, 0.8, [1.0, 0.6], [[5, 0], [2, 3]]),
        };
        Assert.Equal(2, BestEpochSummary.BestEpoch(epochs).Epoch);
    }

    [Fact]
    public void Confusion_sums_the_folds_best_epochs_and_per_class_accuracy_spreads_over_them()
    {
        var summary = BestEpochSummary.Over(
        [
            Curve(0, Epoch(1, 0.5, [0.4, 0.6], [[2, 3], [2, 3]]), Epoch(2, 0.7, [0.6, 0.8], [[3, 2], [1, 4]])),
            Curve(1, Epoch(1, 0.9, [1.0, 0.8], [[5, 0], [1, 4]]), Epoch(2, 0.6, [0.6, 0.6], [[3, 2], [2, 3]])),
            Curve(2),
        ])!;
        Assert.Equal(2, summary.Folds);
        Assert.Equal([[8L, 2L], [2L, 8L]], summary.Confusion);
        Assert.Equal(0.8, summary.Classes[0].Mean, 12);
        Assert.Equal(0.2, summary.Classes[0].Std, 12);
        Assert.Equal(0.8, summary.Classes[1].Mean, 12);
        Assert.Equal(0, summary.Classes[1].Std, 12);
    }

    [Fact]
    public void Nothing_to_summarise_before_the_first_epoch() => Assert.Null(BestEpochSummary.Over([Curve(0)]));
}
