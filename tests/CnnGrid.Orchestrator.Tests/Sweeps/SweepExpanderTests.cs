using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

public sealed class SweepExpanderTests
{
    private const string RepeatedCv = """
        { "id": "repeated", "name": "repeated cv", "folds": 4,
          "grid": { "dropout": [0.1, 0.3, 0.5], "seed": [1, 2], "weightDecay": [0, 0.01] } }
        """;

    [Fact]
    public void Expands_to_the_cartesian_product_times_seeds_times_folds()
    {
        var sweep = Specs.Valid(RepeatedCv);
        var trials = sweep.Trials;

        Assert.Equal(3 * 2 * 2 * 4, trials.Count);
        Assert.Equal(trials.Count, sweep.TrialCount);
        Assert.Equal(trials.Count, trials.Select(trial => trial.TrialId).Distinct().Count());
        var configs = trials.GroupBy(trial => trial.ConfigId).ToList();
        Assert.Equal(3 * 2, configs.Count);
        Assert.All(configs, config => Assert.Equal(sweep.TrialsPerConfig, config.Count()));
        Assert.All(configs, config => Assert.Equal(
            [(1, 0), (1, 1), (1, 2), (1, 3), (2, 0), (2, 1), (2, 2), (2, 3)],
            config.Select(trial => (trial.Spec.Seed, trial.Spec.Fold))));
    }

    [Fact]
    public void Params_hold_the_grid_values_of_the_configuration_but_not_the_seed()
    {
        var trials = Specs.Valid(RepeatedCv).Trials;

        Assert.All(trials, trial =>
        {
            Assert.Equal(["dropout", "weightDecay"], trial.Params.Keys);
            Assert.Equal(trial.Spec.Dropout, (double)trial.Params["dropout"]!);
            Assert.Equal(trial.Spec.WeightDecay, (double)trial.Params["weightDecay"]!);
        });
        Assert.Equal(
            [(0.1, 0.0), (0.1, 0.01), (0.3, 0.0), (0.3, 0.01), (0.5, 0.0), (0.5, 0.01)],
            trials.Select(trial => ((double)trial.Params["dropout"]!, (double)trial.Params["weightDecay"]!)).Distinct());
    }

    [Fact]
    public void The_same_spec_gives_the_same_ids()
    {
        var first = Specs.Valid(RepeatedCv).Trials;
        var second = Specs.Valid(RepeatedCv).Trials;

        Assert.Equal(first.Select(trial => (trial.TrialId, trial.ConfigId)), second.Select(trial => (trial.TrialId, trial.ConfigId)));
        Assert.All(first, trial => Assert.Matches("^[0-9a-f]{16}$", trial.TrialId));
    }

    [Fact]
    public void Folds_and_seeds_of_a_configuration_share_its_config_id_but_not_a_trial_id()
    {
        var config = Specs.Valid(RepeatedCv).Trials.GroupBy(trial => trial.ConfigId).First().ToList();

        Assert.Equal(config.Count, config.Select(trial => trial.TrialId).Distinct().Count());
        var fold0 = config.Single(trial => trial.Spec is { Seed: 1, Fold: 0 });
        var fold1 = config.Single(trial => trial.Spec is { Seed: 1, Fold: 1 });
        Assert.Equal(fold0.ConfigId, fold1.ConfigId);
        Assert.NotEqual(fold0.TrialId, fold1.TrialId);
    }

    [Fact]
    public void Another_sweep_id_changes_trial_ids_but_not_config_ids()
    {
        var ours = Specs.Valid(RepeatedCv).Trials;
        var theirs = Specs.Valid(RepeatedCv.Replace("\"repeated\"", "\"other\"", StringComparison.Ordinal)).Trials;

        Assert.Equal(ours.Select(trial => trial.ConfigId), theirs.Select(trial => trial.ConfigId));
        Assert.Empty(ours.Select(trial => trial.TrialId).Intersect(theirs.Select(trial => trial.TrialId)));
    }

    [Fact]
    public void Config_ids_depend_on_the_settings_not_on_how_the_spec_spells_them()
    {
        var gridded = Specs.Valid("""{ "name": "a", "learningRate": 1e-3, "grid": { "dropout": [0.5] } }""").Trials[0];
        var fixedOrder = Specs.Valid("""{ "dropout": 0.50, "learningRate": 0.001, "name": "b" }""").Trials[0];
        var otherValue = Specs.Valid("""{ "name": "a", "learningRate": 0.002, "grid": { "dropout": [0.5] } }""").Trials[0];

        Assert.Equal(gridded.ConfigId, fixedOrder.ConfigId);
        Assert.NotEqual(gridded.ConfigId, otherValue.ConfigId);
    }

    [Fact]
    public void Expands_ten_thousand_trials_with_distinct_ids()
    {
        var json = """
            { "id": "big", "name": "big", "folds": 5, "grid": {
              "dropout": [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95],
              "learningRate": [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1],
              "weightDecay": [0, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05] } }
            """;
        var sweep = Specs.Valid(json);
        Assert.Equal(10_000, sweep.TrialCount);
        var trials = SweepExpander.Expand(sweep.Spec, sweep.Id);

        Assert.Equal(10_000, trials.Count);
        Assert.Equal(10_000, trials.Select(trial => trial.TrialId).Distinct().Count());
        Assert.Equal(2_000, trials.Select(trial => trial.ConfigId).Distinct().Count());
    }

    [Theory]
    [InlineData("""{ "name": "x" }""", 5)]
    [InlineData("""{ "name": "x", "folds": 3, "grid": { "dropout": [0.1, 0.2], "seed": [1, 2, 3] } }""", 18)]
    [InlineData("""{ "model": "no-such-model", "folds": 10, "grid": { "epochs": [1, 2, 3, 4], "optimizer": ["sgd", "adam"] } }""", 80)]
    public void Counts_trials_without_expanding_or_even_validating(string json, long expected)
    {
        Assert.Equal(expected, SweepSpecParser.CountTrials(json));
        if (Specs.Parse(json).Sweep is { } sweep)
        {
            Assert.Equal(expected, sweep.Trials.Count);
        }
    }

    [Fact]
    public void Counting_gives_null_for_text_that_is_no_json_object_and_saturates_instead_of_overflowing()
    {
        Assert.Null(SweepSpecParser.CountTrials("{ \"grid\": "));
        Assert.Null(SweepSpecParser.CountTrials("[]"));
        Assert.Equal(long.MaxValue, SweepExpander.CountTrials(5, Enumerable.Repeat(1_000_000, 4)));
        Assert.Equal(0, SweepExpander.CountTrials(5, [3, 0, 4]));
    }
}
