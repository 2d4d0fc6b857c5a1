using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

/// <summary>Random search: configurations drawn from the grid's distributions and lists, reproducibly by seed.</summary>
public sealed class RandomSearchTests
{
    private const string Spec = """
        { "id": "random", "name": "random", "folds": 3, "search": { "kind": "random", "configurations": 20, "seed": 7 },
          "grid": { "learningRate": { "logUniform": [0.0001, 0.1] }, "dropout": { "uniform": [0.1, 0.6] },
                    "batchSize": { "intUniform": [16, 256] }, "optimizer": ["sgd", "adam"],
                    "normalization": { "choice": ["none", "batchnorm"] }, "seed": [1, 2] } }
        """;

    [Fact]
    public void It_draws_distinct_configurations_within_their_ranges_and_runs_each_under_every_seed_and_fold()
    {
        var sweep = Specs.Valid(Spec);

        var samples = sweep.Spec.Samples!;
        Assert.Equal(20, samples.Count);
        Assert.Equal(20 * 2 * 3, sweep.TrialCount);
        Assert.Equal(20 * 2 * 3 + 1, sweep.Trials.Count); // and the refit of the best, a random search's default
        Assert.True(sweep.Trials[^1].Refit);
        Assert.Equal(20, sweep.Trials.Where(trial => !trial.Refit).Select(trial => trial.ConfigId).Distinct().Count());
        Assert.All(samples, sample =>
        {
            Assert.InRange((double)sample["learningRate"]!, 0.0001, 0.1);
            Assert.InRange((double)sample["dropout"]!, 0.1, 0.6);
            Assert.InRange((int)sample["batchSize"]!, 16, 256);
            Assert.Contains((string)sample["optimizer"]!, new[] { "sgd", "adam" });
            Assert.Contains((string)sample["normalization"]!, new[] { "none", "batchnorm" });
            Assert.False(sample.ContainsKey("seed"), "seeds are not drawn: every configuration runs under each");
        });
        // logUniform spreads over the decades: some draws below 0.001, some above 0.01.
        Assert.Contains(samples, sample => (double)sample["learningRate"]! < 0.001);
        Assert.Contains(samples, sample => (double)sample["learningRate"]! > 0.01);
        Assert.Equal([1, 2], sweep.Trials.Select(trial => trial.Spec.Seed).Distinct().Order());
        var first = sweep.Trials[0];
        Assert.Equal((double)samples[0]["learningRate"]!, first.Spec.LearningRate);
        Assert.Equal((int)samples[0]["batchSize"]!, first.Spec.BatchSize);
    }

    [Fact]
    public void The_same_seed_draws_the_same_configurations_and_another_seed_others()
    {
        var once = Specs.Valid(Spec).Trials.Select(trial => trial.TrialId).ToList();
        var again = Specs.Valid(Spec).Trials.Select(trial => trial.TrialId).ToList();
        var other = Specs.Valid(Spec.Replace("\"seed\": 7", "\"seed\": 8")).Trials.Select(trial => trial.TrialId).ToList();

        Assert.Equal(once, again);
        Assert.NotEqual(once.Order(), other.Order());
    }

    [Theory]
    [InlineData("""{ "name": "x", "grid": { "dropout": { "uniform": [0.1, 0.5] } } }""", "grid.dropout", "is drawn from only when configurations are drawn")]
    [InlineData("""{ "name": "x", "search": { "kind": "random" }, "grid": { "dropout": [0.1] } }""", "search.configurations", "missing")]
    [InlineData("""{ "name": "x", "search": { "kind": "annealing", "configurations": 2 } }""", "search.kind", "unknown search kind \"annealing\"")]
    [InlineData("""{ "name": "x", "search": { "configurations": 2 } }""", "search", "belong to a random search")]
    [InlineData("""{ "name": "x", "search": { "kind": "random", "configurations": 5 }, "grid": { "optimizer": ["sgd", "adam"] } }""", "search.configurations", "allow only 2 distinct ones")]
    [InlineData("""{ "name": "x", "search": { "kind": "random", "configurations": 2 }, "grid": { "dropout": { "uniform": [0.5, 0.1] } } }""", "grid.dropout.uniform", "low (0.5) must be below high (0.1)")]
    [InlineData("""{ "name": "x", "search": { "kind": "random", "configurations": 2 }, "grid": { "dropout": { "uniform": [0.1, 1.5] } } }""", "grid.dropout.uniform[1]", "")]
    [InlineData("""{ "name": "x", "search": { "kind": "random", "configurations": 2 }, "grid": { "weightDecay": { "logUniform": [0, 0.01] } } }""", "grid.weightDecay.logUniform[0]", "positive low")]
    [InlineData("""{ "name": "x", "search": { "kind": "random", "configurations": 2 }, "grid": { "batchSize": { "uniform": [16, 64] } } }""", "grid.batchSize", "use intUniform")]
    [InlineData("""{ "name": "x", "search": { "kind": "random", "configurations": 2 }, "grid": { "seed": { "intUniform": [1, 9] } } }""", "grid.seed", "seeds are not drawn")]
    [InlineData("""{ "name": "x", "folds": 5, "search": { "kind": "random", "configurations": 2001 }, "grid": { "dropout": { "uniform": [0.1, 0.5] } } }""", "search.configurations", "more than the limit of 10,000")]
    public void A_bad_search_is_refused_naming_the_field(string spec, string path, string message)
    {
        var problems = Specs.Problems(spec);

        Assert.Contains(problems, problem => problem.Path == path && problem.Message.Contains(message, StringComparison.Ordinal));
    }
}
