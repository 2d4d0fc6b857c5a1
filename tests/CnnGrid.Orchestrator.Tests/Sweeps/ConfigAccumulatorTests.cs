using CnnGrid.Abstractions;
using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

public sealed class ConfigAccumulatorTests
{
    private static readonly IReadOnlyDictionary<string, object?> DropoutParams = new Dictionary<string, object?> { ["dropout"] = 0.4 };

    [Fact]
    public void Aggregates_as_the_batch_statistics_of_its_trials_in_any_arrival_order()
    {
        var measurements = new Dictionary<(int Seed, int Fold), FoldMeasurement>
        {
            [(1, 0)] = new(0.81, 0.83, 0.52), [(1, 1)] = new(0.78, 0.80, 0.61), [(1, 2)] = new(0.84, 0.84, 0.47),
            [(2, 0)] = new(0.80, 0.82, 0.55), [(2, 1)] = new(0.75, 0.79, 0.66), [(2, 2)] = new(0.83, 0.85, 0.50),
        };
        var accumulator = new ConfigAccumulator("c1", DropoutParams, measurements.Count);

        foreach (var ((seed, fold), measurement) in measurements.Reverse())
        {
            Assert.True(accumulator.Add(seed, fold, measurement));
        }
        var aggregate = accumulator.ToAggregate();

        var ordered = measurements.OrderBy(pair => pair.Key).Select(pair => pair.Value).ToList();
        var accuracy = FoldStatistics.Of(ordered.Select(m => m.Accuracy).ToList());
        var best = FoldStatistics.Of(ordered.Select(m => m.BestAccuracy).ToList());
        var loss = FoldStatistics.Of(ordered.Select(m => m.ValidationLoss).ToList());
        Assert.Equal(("c1", 6, 6, true), (aggregate.ConfigId, aggregate.Folds, aggregate.CompletedFolds, aggregate.IsComplete));
        Assert.Same(DropoutParams, aggregate.Params);
        Assert.Equal(ordered.Select(m => m.Accuracy), aggregate.FoldAccuracies);
        Assert.Equal(accuracy.Mean, aggregate.MeanAccuracy!.Value, 1e-12);
        Assert.Equal(accuracy.Std, aggregate.StdAccuracy!.Value, 1e-12);
        Assert.Equal(best.Mean, aggregate.MeanBestAccuracy!.Value, 1e-12);
        Assert.Equal(best.Std, aggregate.StdBestAccuracy!.Value, 1e-12);
        Assert.Equal(loss.Mean, aggregate.MeanValidationLoss!.Value, 1e-12);
        Assert.Equal(loss.Std, aggregate.StdValidationLoss!.Value, 1e-12);
    }

    [Fact]
    public void A_trial_reported_twice_counts_once()
    {
        var accumulator = new ConfigAccumulator("c1", DropoutParams, 3);
        Assert.True(accumulator.Add(42, 0, new FoldMeasurement(0.8, 0.8, 0.5)));

        Assert.False(accumulator.Add(42, 0, new FoldMeasurement(0.1, 0.1, 9)));

        var aggregate = accumulator.ToAggregate();
        Assert.Equal((1, false, 0.8, 0.0), (aggregate.CompletedFolds, aggregate.IsComplete, aggregate.MeanAccuracy, aggregate.StdAccuracy));
    }

    [Fact]
    public void Before_any_trial_there_are_no_statistics_and_past_the_last_one_is_an_error()
    {
        var accumulator = new ConfigAccumulator("c1", DropoutParams, 2);
        var empty = accumulator.ToAggregate();
        Assert.Equal((0, (double?)null, (double?)null), (empty.CompletedFolds, empty.MeanAccuracy, empty.StdAccuracy));
        Assert.Empty(empty.FoldAccuracies);

        accumulator.Add(1, 0, new FoldMeasurement(0.8, 0.8, 0.5));
        accumulator.Add(1, 1, new FoldMeasurement(0.7, 0.8, 0.6));
        Assert.Throws<InvalidOperationException>(() => accumulator.Add(1, 2, new FoldMeasurement(0.9, 0.9, 0.4)));
    }

    [Fact]
    public void A_trial_measures_its_last_epoch_and_its_best_one()
    {
        var result = new TrialResult
        {
            Outcome = TrialOutcome.Completed,
            Epochs = [Epoch(1, 0.70, 0.9), Epoch(2, 0.82, 0.6), Epoch(3, 0.79, 0.65)],
            BestEpoch = 2,
        };

        Assert.Equal(new FoldMeasurement(0.79, 0.82, 0.65), FoldMeasurement.FromResult(result));
        Assert.Null(FoldMeasurement.FromResult(result with { Outcome = TrialOutcome.Diverged, Epochs = [], BestEpoch = 0 }));
    }

    private static EpochMetrics Epoch(int epoch, double accuracy, double loss) => new()
    {
        Epoch = epoch,
        TrainLoss = loss,
        TrainAccuracy = accuracy,
        ValidationLoss = loss,
        ValidationAccuracy = accuracy,
        PerClassAccuracy = [],
        ConfusionMatrix = [],
        DurationSeconds = 1,
        ImagesPerSecond = 1000,
    };
}
