using System.Text.Json;
using CnnGrid.Dashboard.Display;

namespace CnnGrid.Dashboard.Tests.Display;

public sealed class ConfigOrderTests
{
    static ConfigAggregate Config(string id, string paramsJson, double? mean, double? std) =>
        new(id, JsonSerializer.Deserialize<Dictionary<string, object?>>(paramsJson)!, 3, mean is null ? 0 : 3,
            mean, std, [], mean, std, 0.5, 0.1);

    static readonly IReadOnlyList<ConfigAggregate> Ranked =
    [
        Config("a", """{ "lr": 0.5, "optimizer": "sgd" }""", 0.9, 0.03),
        Config("b", """{ "lr": 10, "optimizer": "adam" }""", 0.8, 0.01),
        Config("c", """{ "lr": 0.05, "optimizer": "sgd" }""", 0.7, 0.02),
        Config("d", """{ "lr": 1, "optimizer": "adam" }""", null, null),
    ];

    static IEnumerable<string> Ids(IReadOnlyList<ConfigAggregate> configs) => configs.Select(config => config.ConfigId);

    [Fact]
    public void Unmeasured_configurations_stay_last_both_ways()
    {
        Assert.Equal(["a", "b", "c", "d"], Ids(ConfigOrder.Sort(Ranked, ConfigOrder.Accuracy, descending: true)));
        Assert.Equal(["c", "b", "a", "d"], Ids(ConfigOrder.Sort(Ranked, ConfigOrder.Accuracy, descending: false)));
        Assert.Equal(["b", "c", "a", "d"], Ids(ConfigOrder.Sort(Ranked, ConfigOrder.Std, descending: false)));
    }

    [Fact]
    public void Numeric_parameters_sort_by_value_not_text()
    {
        // As text "10" < "1" < "0.5"; as numbers 0.05 < 0.5 < 1 < 10.
        Assert.Equal(["c", "a", "d", "b"], Ids(ConfigOrder.Sort(Ranked, ConfigOrder.Param("lr"), descending: false)));
    }

    [Fact]
    public void Text_parameters_sort_ordinally_and_ties_keep_the_ranking()
    {
        Assert.Equal(["b", "d", "a", "c"], Ids(ConfigOrder.Sort(Ranked, ConfigOrder.Param("optimizer"), descending: false)));
    }

    [Fact]
    public void Rank_is_the_servers_order() =>
        Assert.Equal(["d", "c", "b", "a"], Ids(ConfigOrder.Sort(Ranked, ConfigOrder.Rank, descending: true)));

    [Fact]
    public void An_unknown_column_is_named() =>
        Assert.Contains("'speed'", Assert.Throws<ArgumentException>(() => ConfigOrder.Sort(Ranked, "speed", false)).Message);
}
