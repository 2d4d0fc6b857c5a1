using System.Globalization;
using CnnGrid.Abstractions;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>Every hyperparameter a spec can fix or vary, with its type, valid range and place in <see cref="TrialSpec"/>.</summary>
internal static class Hyperparameters
{
    public const string Model = "model";
    public const string Seed = "seed";
    public const string PermutePixelsSeed = "permutePixelsSeed";

    private static readonly string[] Optimizers = ["sgd", "adam"];
    private static readonly string[] Normalizations = ["none", "batchnorm", "layernorm"];

    public static IReadOnlyList<Hyperparameter> All { get; } =
    [
        new(Model, SpecValueKind.Text, false, Model, CheckModel, (spec, value) => spec with { Model = (string)value! }),
        Number("dropout", value => value is >= 0 and < 1, "in [0, 1)", (spec, value) => spec with { Dropout = (double)value! }),
        Number("weightDecay", value => value >= 0, "at least 0", (spec, value) => spec with { WeightDecay = (double)value! }),
        Choice("normalization", Normalizations, (spec, value) => spec with { Normalization = (string)value! }),
        Choice("optimizer", Optimizers, (spec, value) => spec with { Optimizer = (string)value! }),
        Number("learningRate", value => value > 0, "greater than 0", (spec, value) => spec with { LearningRate = (double)value! }),
        Number("momentum", value => value >= 0, "at least 0", (spec, value) => spec with { Momentum = (double)value! }),
        Integer("batchSize", 1, nullable: false, (spec, value) => spec with { BatchSize = (int)value! }),
        Integer("epochs", 1, nullable: false, (spec, value) => spec with { Epochs = (int)value! }),
        Integer("hidden", 1, nullable: true, (spec, value) => spec with { Hidden = (int?)value }),
        Integer("features", 1, nullable: true, (spec, value) => spec with { Features = (int?)value }),
        Integer(Seed, 0, nullable: false, (spec, value) => spec with { Seed = (int)value! }),
        Integer("patience", 1, nullable: true, (spec, value) => spec with { Patience = (int?)value }),
        // A dataset setting, so fixed inside "dataset", but varying it is seed 003's permuted-pixels experiment.
        Integer(PermutePixelsSeed, 0, nullable: true,
            (spec, value) => spec with { Dataset = spec.Dataset with { PermutePixelsSeed = (int?)value } },
            fixedPath: "dataset." + PermutePixelsSeed),
    ];

    private static readonly Dictionary<string, Hyperparameter> ByName = All.ToDictionary(parameter => parameter.Name);

    public static Hyperparameter? Find(string name) => ByName.GetValueOrDefault(name);

    private static Hyperparameter Number(
        string name, Func<double, bool> isValid, string rule, Func<TrialSpec, object?, TrialSpec> apply) =>
        new(name, SpecValueKind.Number, false, name,
            (value, _) => isValid((double)value) ? null : $"{name} must be {rule}, got {Format(value)}",
            apply);

    private static Hyperparameter Integer(
        string name, int minimum, bool nullable, Func<TrialSpec, object?, TrialSpec> apply, string? fixedPath = null) =>
        new(name, SpecValueKind.Integer, nullable, fixedPath ?? name,
            (value, _) => (int)value >= minimum ? null : $"{name} must be at least {minimum}, got {Format(value)}",
            apply);

    private static Hyperparameter Choice(string name, string[] choices, Func<TrialSpec, object?, TrialSpec> apply) =>
        new(name, SpecValueKind.Text, false, name,
            (value, _) => choices.Contains((string)value)
                ? null
                : $"{name} must be one of {string.Join(", ", choices)}, got \"{value}\"{ClosestName.Hint((string)value, choices)}",
            apply);

    private static string? CheckModel(object value, SweepCatalog catalog)
    {
        var model = (string)value;
        return catalog.Models.Contains(model)
            ? null
            : $"unknown model \"{model}\"{ClosestName.Hint(model, catalog.Models)}; known models: "
              + string.Join(", ", catalog.Models.Order(StringComparer.Ordinal));
    }

    public static string Format(object? value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
