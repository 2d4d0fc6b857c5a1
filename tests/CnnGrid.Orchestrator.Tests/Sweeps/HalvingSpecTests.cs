using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

/// <summary>Successive halving and the refit in a spec: what is planned, and what is refused.</summary>
public sealed class HalvingSpecTests
{
    private const string Spec = """
        { "id": "halving", "name": "halving", "folds": 3, "search": { "kind": "halving", "eta": 3, "minEpochs": 1, "maxEpochs": 9 },
          "grid": { "dropout": [0.1, 0.3, 0.5], "learningRate": [0.001, 0.01, 0.1] } }
        """;

    [Fact]
    public void Every_trial_trains_to_the_first_rung_of_max_epochs_and_the_sweep_ends_with_its_refit()
    {
        var sweep = Specs.Valid(Spec);

        Assert.Equal(new HalvingSchedule(3, 1, 9), sweep.Spec.Search.Schedule);
        Assert.True(sweep.Spec.Refit, "halving refits by default");
        var folds = sweep.Trials.Where(trial => !trial.Refit).ToList();
        Assert.Equal(9 * 3, folds.Count);
        Assert.All(folds, trial => Assert.Equal((9, 1, 1), (trial.Spec.Epochs, trial.Spec.PauseAfterEpoch, trial.Spec.LastEpoch)));
        var refit = Assert.Single(sweep.Trials, trial => trial.Refit);
        Assert.Same(sweep.Trials[^1], refit);
        Assert.True(refit.Spec.Refit);
        Assert.Equal(SweepExpander.RefitPlaceholder, refit.ConfigId);
        // The rung is not part of a configuration: the same configuration as a 9-epoch grid's.
        var grid = Specs.Valid(Spec.Replace("\"search\": { \"kind\": \"halving\", \"eta\": 3, \"minEpochs\": 1, \"maxEpochs\": 9 },", "\"epochs\": 9,"));
        Assert.Equal(grid.Trials.Select(trial => trial.ConfigId).Distinct(), folds.Select(trial => trial.ConfigId).Distinct());
        Assert.False(grid.Spec.Refit, "a grid refits only when asked");
        Assert.DoesNotContain(grid.Trials, trial => trial.Refit);
    }

    [Fact]
    public void Refit_can_be_asked_for_on_a_grid_and_declined_under_halving()
    {
        Assert.Contains(Specs.Valid("""{ "name": "g", "refit": true, "grid": { "dropout": [0.1, 0.2] } }""").Trials, trial => trial.Refit);
        Assert.DoesNotContain(Specs.Valid(Spec.Replace("\"folds\": 3,", "\"folds\": 3, \"refit\": false,")).Trials, trial => trial.Refit);
    }

    [Fact]
    public void Halving_over_drawn_configurations_draws_them_as_a_random_search_does()
    {
        var sweep = Specs.Valid("""
            { "name": "h", "folds": 2, "search": { "kind": "halving", "configurations": 8, "seed": 3, "maxEpochs": 4 },
              "grid": { "learningRate": { "logUniform": [0.0001, 0.1] } } }
            """);

        Assert.Equal(8, sweep.Spec.Samples!.Count);
        Assert.Equal([1, 3, 4], sweep.Spec.Search.Schedule!.RungEpochs);
        Assert.Equal(8 * 2 + 1, sweep.Trials.Count);
    }

    [Theory]
    [InlineData("""{ "name": "x", "search": { "kind": "halving" }, "grid": { "epochs": [1, 2] } }""", "grid.epochs", "the rungs set the epochs")]
    [InlineData("""{ "name": "x", "epochs": 5, "search": { "kind": "halving", "maxEpochs": 9 } }""", "epochs", "maxEpochs (9) epochs, but epochs is 5")]
    [InlineData("""{ "name": "x", "search": { "kind": "halving", "minEpochs": 5, "maxEpochs": 3 } }""", "search.minEpochs", "must not exceed maxEpochs (3)")]
    [InlineData("""{ "name": "x", "search": { "kind": "halving", "eta": 1 } }""", "search.eta", "eta must be in [2, 100]")]
    [InlineData("""{ "name": "x", "search": { "kind": "halving", "maxEpochs": 0 } }""", "search.maxEpochs", "1000")]
    [InlineData("""{ "name": "x", "search": { "kind": "halving", "seed": 4 } }""", "search", "needs configurations too")]
    [InlineData("""{ "name": "x", "search": { "kind": "grid", "eta": 2 } }""", "search", "eta belong to successive halving")]
    [InlineData("""{ "name": "x", "search": { "kind": "random", "configurations": 2, "maxEpochs": 3 }, "grid": { "dropout": [0.1, 0.2] } }""", "search", "maxEpochs belong to successive halving")]
    [InlineData("""{ "name": "x", "search": { "kind": "halving", "etta": 2 } }""", "search.etta", "did you mean \"eta\"")]
    [InlineData("""{ "name": "x", "refit": "yes" }""", "refit", "")]
    public void Bad_halving_settings_are_refused_naming_the_field_and_the_limit(string spec, string path, string message)
    {
        var problem = Assert.Single(Specs.Problems(spec), problem => problem.Path == path);
        Assert.Contains(message, problem.Message);
    }
}
