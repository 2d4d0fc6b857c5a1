using System.Text.Json;
using CnnGrid.Abstractions;
using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

/// <summary>The specs in examples/ (copied next to the tests) and the schema that describes them.</summary>
public sealed class ExampleSpecTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "examples");
    private static readonly string SchemaPath = Path.Combine(Folder, "sweep.schema.json");

    public static TheoryData<string> ExampleFiles() => new(ExampleFileNames());

    [Fact]
    public void The_expected_examples_are_there()
    {
        Assert.Equal(
            ["seed000-bench.json", "seed000-dropout.json", "seed000-halving-grid.json", "seed000-halving.json", "seed000-normalization.json", "seed000-random.json", "seed002-learning-rate.json", "seed003-mlp-vs-cnn.json", "smoke.json"],
            ExampleFileNames());
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Every_example_is_a_valid_spec(string file)
    {
        var sweep = Specs.Valid(File.ReadAllText(Path.Combine(Folder, file)));

        Assert.Equal(sweep.TrialCount, sweep.Trials.Count(trial => !trial.Refit));
    }

    [Fact]
    public void Seed000_dropout_is_unshuffled_five_fold_cv_of_seven_dropouts_with_the_seeds_training_settings()
    {
        var sweep = Example("seed000-dropout.json");

        Assert.Equal("seed000-dropout", sweep.Id);
        var trial = sweep.Spec.Base;
        Assert.Equal(("seed000-cnn", 5, false, false), (trial.Model, trial.Folds, trial.ShuffleFolds, trial.Stratified));
        Assert.Equal(("adam", 0.001, 64, 42), (trial.Optimizer, trial.LearningRate, trial.BatchSize, trial.Seed));
        var axis = Assert.Single(sweep.Spec.Grid);
        Assert.Equal("dropout", axis.Name);
        Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], axis.Values.Cast<double>());
        Assert.Equal(35, sweep.TrialCount);
        Assert.Equal(7, sweep.Trials.Select(planned => planned.ConfigId).Distinct().Count());
    }

    [Fact]
    public void Smoke_is_three_folds_of_two_dropouts_on_a_thousand_images()
    {
        var sweep = Example("smoke.json");

        Assert.Equal(6, sweep.TrialCount);
        Assert.Equal((3, 1, 1000), (sweep.Spec.Base.Folds, sweep.Spec.Base.Epochs, sweep.Spec.Base.Dataset.Limit));
    }

    [Fact]
    public void Seed002_includes_the_learning_rate_0_9()
    {
        var sweep = Example("seed002-learning-rate.json");

        Assert.Equal("sgd", sweep.Spec.Base.Optimizer);
        Assert.Contains(0.9, Assert.Single(sweep.Spec.Grid).Values.Cast<double>());
    }

    [Fact]
    public void Seed003_crosses_mlp_and_cnn_with_and_without_permuted_pixels()
    {
        var sweep = Example("seed003-mlp-vs-cnn.json");

        var configs = sweep.Trials
            .Select(planned => (planned.Spec.Model, planned.Spec.Dataset.PermutePixelsSeed))
            .Distinct()
            .ToList();
        Assert.Equal(new (string, int?)[] { ("mlp", null), ("mlp", 0), ("seed003-cnn", null), ("seed003-cnn", 0) }, configs);
        Assert.Equal((8, 6), (sweep.Spec.Base.Hidden, sweep.Spec.Base.Features));
    }

    [Fact]
    public void The_schema_declares_exactly_the_fields_the_parser_accepts()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var root = schema.RootElement;

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", root.GetProperty("$schema").GetString());
        Assert.Equal(
            SweepSpecReader.TopLevelFields.Order(StringComparer.Ordinal),
            PropertyNames(root));
        Assert.Equal(
            Hyperparameters.All.Select(parameter => parameter.Name).Order(StringComparer.Ordinal),
            PropertyNames(root.GetProperty("properties").GetProperty("grid")));
        Assert.Equal(
            SweepSpecReader.DatasetFields.Order(StringComparer.Ordinal),
            PropertyNames(root.GetProperty("$defs").GetProperty("dataset")));
    }

    public static TheoryData<string> ContractParameters() => new(TrialParameters.All.Select(parameter => parameter.Name));

    /// <summary>The schema's definition of every hyperparameter says what the trial contract's table says.</summary>
    [Theory]
    [MemberData(nameof(ContractParameters))]
    public void The_schema_states_each_hyperparameters_contract(string name)
    {
        var parameter = TrialParameters.Find(name)!;
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var definition = schema.RootElement.GetProperty("$defs").GetProperty(name);

        Assert.Equal(Expected(parameter), Stated(definition));
        if (parameter.Description is { } description)
            Assert.Equal(description, definition.GetProperty("description").GetString());
    }

    [Fact]
    public void The_schema_states_the_trial_timeouts_contract()
    {
        var timeout = TrialParameters.TrialTimeout;
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var definition = schema.RootElement.GetProperty("properties").GetProperty(timeout.Name);

        Assert.Equal(Expected(timeout), Stated(definition));
        Assert.Equal(timeout.Description, definition.GetProperty("description").GetString());
    }

    private static string Expected(TrialParameter parameter)
    {
        var type = parameter.Kind switch
        {
            _ when parameter.Choices is not null => "choice",
            TrialValueKind.Integer => "integer",
            TrialValueKind.Number => "number",
            _ => "string",
        };
        return string.Join("; ",
            type + (parameter.Nullable ? "|null" : ""),
            $"enum={(parameter.Choices is { } choices ? string.Join(",", choices) : "-")}",
            $"{(parameter.MinimumExclusive ? "exclusiveMinimum" : "minimum")}={parameter.Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}",
            $"{(parameter.MaximumExclusive ? "exclusiveMaximum" : "maximum")}={parameter.Maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}",
            $"default={(parameter.Nullable ? "-" : TrialParameter.Format(parameter.Default))}");
    }

    private static string Stated(JsonElement definition)
    {
        string? Raw(string property) => definition.TryGetProperty(property, out var value) ? value.GetRawText() : null;
        var enumValues = definition.TryGetProperty("enum", out var values)
            ? string.Join(",", values.EnumerateArray().Select(value => value.GetString()))
            : null;
        var type = enumValues is not null
            ? "choice"
            : definition.GetProperty("type") is { ValueKind: JsonValueKind.Array } types
                ? string.Join("|", types.EnumerateArray().Select(value => value.GetString()))
                : definition.GetProperty("type").GetString()!;
        var minimum = Raw("exclusiveMinimum") is { } exclusiveLow ? $"exclusiveMinimum={exclusiveLow}" : $"minimum={Raw("minimum") ?? "-"}";
        var maximum = Raw("exclusiveMaximum") is { } exclusiveHigh ? $"exclusiveMaximum={exclusiveHigh}" : $"maximum={Raw("maximum") ?? "-"}";
        return string.Join("; ", type, $"enum={enumValues ?? "-"}", minimum, maximum, $"default={Raw("default") ?? "-"}");
    }

    /// <summary>The schema's halving fields state the limits and defaults the spec reader applies.</summary>
    [Fact]
    public void The_schema_states_the_halving_schedules_limits_and_defaults()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var search = schema.RootElement.GetProperty("properties").GetProperty("search").GetProperty("properties");
        var epochs = TrialParameters.Find(TrialParameters.Epochs)!;
        string Limits(string field) => string.Join("; ", new[] { "minimum", "maximum", "default" }.Select(name =>
            search.GetProperty(field).TryGetProperty(name, out var value) ? value.GetRawText() : "-"));

        Assert.Equal($"{HalvingSchedule.MinEta}; {HalvingSchedule.MaxEta}; {HalvingSchedule.DefaultEta}", Limits("eta"));
        Assert.Equal($"{TrialParameter.Format(epochs.Minimum)}; {TrialParameter.Format(epochs.Maximum)}; {HalvingSchedule.DefaultMinEpochs}", Limits("minEpochs"));
        Assert.Equal($"{TrialParameter.Format(epochs.Minimum)}; {TrialParameter.Format(epochs.Maximum)}; {HalvingSchedule.DefaultMaxEpochs}", Limits("maxEpochs"));
    }

    [Fact]
    public void The_schema_lists_the_catalogs_model_names()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));

        var examples = schema.RootElement.GetProperty("$defs").GetProperty("model").GetProperty("examples")
            .EnumerateArray().Select(name => name.GetString());
        Assert.Equal(TestCatalog.ModelNames, examples);
    }

    private static List<string> ExampleFileNames() =>
        Directory.GetFiles(Folder, "*.json")
            .Where(file => file != SchemaPath)
            .Select(file => Path.GetFileName(file))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static ParsedSweep Example(string file) => Specs.Valid(File.ReadAllText(Path.Combine(Folder, file)));

    private static IEnumerable<string> PropertyNames(JsonElement schemaObject) =>
        schemaObject.GetProperty("properties").EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal);
}
