using CnnGrid.Abstractions;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>The trial contract's hyperparameters (<see cref="TrialParameters"/>) with the server's own checks.</summary>
internal static class Hyperparameters
{
    public const string Model = TrialParameters.Model;
    public const string Epochs = TrialParameters.Epochs;
    public const string Seed = TrialParameters.Seed;
    public const string PermutePixelsSeed = TrialParameters.PermutePixelsSeed;

    public static IReadOnlyList<Hyperparameter> All { get; } =
        [.. TrialParameters.All.Select(contract => new Hyperparameter(contract, contract.Name == Model ? CheckModel : null))];

    /// <summary>The spec-level time limit, read and checked like a fixed hyperparameter; never varied.</summary>
    public static Hyperparameter TrialTimeout { get; } = new(TrialParameters.TrialTimeout);

    private static readonly Dictionary<string, Hyperparameter> ByName = All.ToDictionary(parameter => parameter.Name);

    public static Hyperparameter? Find(string name) => ByName.GetValueOrDefault(name);

    private static string? CheckModel(object value, SweepCatalog catalog)
    {
        var model = (string)value;
        return catalog.Models.Contains(model)
            ? null
            : $"unknown model \"{model}\"{ClosestName.Hint(model, catalog.Models)}; known models: "
              + string.Join(", ", catalog.Models.Order(StringComparer.Ordinal));
    }
}
