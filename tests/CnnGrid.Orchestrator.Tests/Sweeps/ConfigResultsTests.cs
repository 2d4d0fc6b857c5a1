using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

public sealed class ConfigResultsTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> Params =
        new Dictionary<string, IReadOnlyDictionary<string, object?>>
        {
            ["a"] = new Dictionary<string, object?> { ["dropout"] = 0.1 },
            ["b"] = new Dictionary<string, object?> { ["dropout"] = 0.5 },
        };

    [Fact]
    public void Completed_trials_count_with_population_statistics_and_fold_accuracies_by_seed_then_fold()
    {
        var configs = ConfigResults.Of(Params,
        [
            new("a", Seed: 2, Fold: 0, Completed: true, 0.70, 0.72, 0.9),
            new("a", Seed: 1, Fold: 1, Completed: true, 0.80, 0.81, 0.7),
            new("a", Seed: 1, Fold: 0, Completed: true, 0.90, 0.90, 0.5),
            new("a", Seed: 2, Fold: 1, Completed: false, null, null, null),
        ]).Configs;

        var a = Assert.Single(configs);
        Assert.Equal(("a", 4, 3), (a.ConfigId, a.Folds, a.CompletedFolds));
        Assert.Equal([0.90, 0.80, 0.70], a.FoldAccuracies);
        var expected = FoldStatistics.Of([0.90, 0.80, 0.70]);
        Assert.Equal(expected.Mean, a.MeanAccuracy!.Value, 12);
        Assert.Equal(expected.Std, a.StdAccuracy!.Value, 12);
        Assert.Equal(Math.Sqrt(2.0 / 3) * 0.1, a.StdAccuracy!.Value, 12); // ddof 0, as numpy's std
        Assert.Equal(FoldStatistics.Of([0.9, 0.7, 0.5]).Mean, a.MeanValidationLoss!.Value, 12);
        Assert.Equal(0.1, a.Params["dropout"]);
        Assert.False(a.IsComplete);
        Assert.False(a.MostAccurate); // only complete configurations are marked
    }

    [Fact]
    public void A_configuration_with_no_completed_trial_has_no_statistics_and_ranks_last()
    {
        var configs = ConfigResults.Of(Params,
        [
            new("b", 0, 0, Completed: false, null, null, null),
            new("a", 0, 0, Completed: true, 0.6, 0.6, 1.0),
        ]).Configs;

        Assert.Equal(["a", "b"], configs.Select(config => config.ConfigId));
        var b = configs[1];
        Assert.Equal((0, (double?)null, (double?)null), (b.CompletedFolds, b.MeanAccuracy, b.StdAccuracy));
        Assert.Empty(b.FoldAccuracies);
        Assert.True(configs[0].MostAccurate);
    }
}
