using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CnnGrid.Abstractions;
using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

public sealed class TrialIdsTests
{
    [Fact]
    public void Config_content_covers_every_trial_setting_except_fold_seed_and_the_time_limit()
    {
        var content = TrialIds.ConfigContent(new TrialSpec());
        var dataset = (IReadOnlyDictionary<string, object?>)content["dataset"]!;

        Assert.Equal(
            // A rung is how far a trial has got, not what it trains; a refit takes its configuration's id.
            JsonNames<TrialSpec>().Except(["fold", "seed", "timeoutSeconds", "pauseAfterEpoch", "refit"]).Order(StringComparer.Ordinal),
            content.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(JsonNames<DatasetSpec>().Order(StringComparer.Ordinal), dataset.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_setting_but_fold_and_seed_changes_the_config_id()
    {
        var baseline = new TrialSpec();
        TrialSpec[] changed =
        [
            baseline with { Dropout = 0.1 }, baseline with { WeightDecay = 0.1 }, baseline with { Momentum = 0.9 },
            baseline with { LearningRate = 0.01 }, baseline with { Optimizer = "sgd" }, baseline with { Normalization = "batchnorm" },
            baseline with { Model = "mlp" }, baseline with { Folds = 3 }, baseline with { Stratified = true },
            baseline with { ShuffleFolds = true }, baseline with { Epochs = 2 }, baseline with { BatchSize = 32 },
            baseline with { Hidden = 8 }, baseline with { Features = 6 }, baseline with { Patience = 2 },
            baseline with { EvaluateTest = true }, baseline with { NoopSeconds = 1 },
            baseline with { Dataset = new DatasetSpec { Name = "mnist" } }, baseline with { Dataset = new DatasetSpec { Path = "/d" } },
            baseline with { Dataset = new DatasetSpec { Limit = 10 } }, baseline with { Dataset = new DatasetSpec { Mean = [0.5] } },
            baseline with { Dataset = new DatasetSpec { Std = [0.5] } }, baseline with { Dataset = new DatasetSpec { Augment = true } },
            baseline with { Dataset = new DatasetSpec { PermutePixelsSeed = 0 } },
        ];

        var ids = changed.Select(TrialIds.ConfigId).Append(TrialIds.ConfigId(baseline)).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(TrialIds.ConfigId(baseline), TrialIds.ConfigId(baseline with { Fold = 3, Seed = 7 }));
        // A time limit stops a trial; it does not change what the trial trains.
        Assert.Equal(TrialIds.ConfigId(baseline), TrialIds.ConfigId(baseline with { TimeoutSeconds = 60 }));
    }

    [Fact]
    public void Canonical_json_sorts_keys_at_every_level_whatever_the_insertion_order()
    {
        var content = TrialIds.ConfigContent(new TrialSpec { Dataset = new DatasetSpec { Mean = [0.25, -0.5] } });
        var reversed = content.Reverse().ToDictionary(pair => pair.Key, pair => pair.Value);

        var json = CanonicalJson.Serialize(content);
        Assert.Equal(json, CanonicalJson.Serialize(reversed));
        using var document = JsonDocument.Parse(json);
        AssertSorted(document.RootElement);
        Assert.Contains("\"mean\":[0.25,-0.5]", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Trial_ids_differ_by_sweep_config_seed_and_fold()
    {
        string[] ids =
        [
            TrialIds.TrialId("s", "c", 1, 0), TrialIds.TrialId("t", "c", 1, 0), TrialIds.TrialId("s", "d", 1, 0),
            TrialIds.TrialId("s", "c", 2, 0), TrialIds.TrialId("s", "c", 1, 1),
        ];

        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(ids[0], TrialIds.TrialId("s", "c", 1, 0));
    }

    private static void AssertSorted(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var names = element.EnumerateObject().Select(property => property.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        foreach (var property in element.EnumerateObject())
        {
            AssertSorted(property.Value);
        }
    }

    private static IEnumerable<string> JsonNames<T>() =>
        typeof(T).GetProperties()
            .Where(property => property.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(property => JsonNamingPolicy.CamelCase.ConvertName(property.Name));
}
