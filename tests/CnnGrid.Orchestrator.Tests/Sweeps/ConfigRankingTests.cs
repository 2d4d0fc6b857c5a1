using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

public sealed class ConfigRankingTests
{
    [Fact]
    public void Orders_by_mean_accuracy_and_flags_seed_000s_dropout_verdict()
    {
        // Seed 000's reported 5-fold results for dropout 0.1 … 0.7. Its text calls 0.4 the most accurate and
        // 0.5 the most stable, but by its own numbers 0.1 has the highest mean and 0.7 the lowest std.
        var ranked = ConfigRanking.Rank(
        [
            Config("d0.1", 0.5716, 0.0272),
            Config("d0.2", 0.5633, 0.0450),
            Config("d0.3", 0.5690, 0.0465),
            Config("d0.4", 0.5674, 0.0370),
            Config("d0.5", 0.5513, 0.0309),
            Config("d0.6", 0.5431, 0.0428),
            Config("d0.7", 0.5387, 0.0084),
        ]);

        Assert.Equal(["d0.1", "d0.3", "d0.4", "d0.2", "d0.5", "d0.6", "d0.7"], ranked.Select(config => config.ConfigId));
        Assert.Equal("d0.1", Assert.Single(ranked, config => config.MostAccurate).ConfigId);
        Assert.Equal("d0.7", Assert.Single(ranked, config => config.MostStable).ConfigId);
    }

    [Fact]
    public void Incomplete_configurations_are_ranked_but_never_flagged()
    {
        var ranked = ConfigRanking.Rank(
        [
            Config("partial", 0.99, 0.0, completed: 2),
            Config("done", 0.80, 0.05),
            Config("waiting", null, null, completed: 0),
        ]);

        Assert.Equal(["partial", "done", "waiting"], ranked.Select(config => config.ConfigId));
        var flagged = Assert.Single(ranked, config => config.MostAccurate || config.MostStable);
        Assert.Equal(("done", true, true), (flagged.ConfigId, flagged.MostAccurate, flagged.MostStable));
    }

    [Fact]
    public void Ties_in_mean_go_to_the_lower_std_and_ties_in_std_to_the_higher_mean()
    {
        var ranked = ConfigRanking.Rank(
        [
            Config("a", 0.80, 0.04),
            Config("b", 0.80, 0.02),
            Config("c", 0.70, 0.02),
        ]);

        Assert.Equal(["b", "a", "c"], ranked.Select(config => config.ConfigId));
        Assert.Equal("b", Assert.Single(ranked, config => config.MostAccurate).ConfigId);
        Assert.Equal("b", Assert.Single(ranked, config => config.MostStable).ConfigId);
    }

    [Fact]
    public void Flags_are_recomputed_not_carried_over()
    {
        var ranked = ConfigRanking.Rank(
        [
            Config("stale", 0.60, 0.10) with { MostAccurate = true, MostStable = true },
            Config("best", 0.90, 0.01),
        ]);

        Assert.False(ranked.Single(config => config.ConfigId == "stale").MostAccurate);
        Assert.False(ranked.Single(config => config.ConfigId == "stale").MostStable);
        Assert.DoesNotContain(ConfigRanking.Rank([Config("partial", 0.9, 0.0, completed: 1)]), config => config.MostAccurate || config.MostStable);
    }

    private static ConfigAggregate Config(string id, double? mean, double? std, int completed = 5) =>
        new(id, new Dictionary<string, object?>(), 5, completed, mean, std, [], mean, std, 0.5, 0.01);
}
