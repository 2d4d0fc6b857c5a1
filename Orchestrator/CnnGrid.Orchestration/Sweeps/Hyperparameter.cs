using CnnGrid.Abstractions;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// A <see cref="TrialParameter"/> as the spec parser reads it: its contract's rules, plus what only the server can check
/// (the catalog's model names) and a hint at the closest valid choice.
/// </summary>
internal sealed record Hyperparameter(TrialParameter Contract, Func<object, SweepCatalog, string?>? CatalogCheck = null)
{
    public string Name => Contract.Name;

    public TrialValueKind Kind => Contract.Kind;

    public bool Nullable => Contract.Nullable;

    public string FixedPath => Contract.FixedPath;

    /// <summary>Where a fixed value goes, as a message says it.</summary>
    public string FixedPlace => FixedPath == Name ? "at the top level" : $"in {FixedPath}";

    public TrialSpec Apply(TrialSpec spec, object? value) => Contract.Apply(spec, value);

    /// <summary>Given a non-null value of <see cref="Kind"/>, says what is wrong with it, or null.</summary>
    public string? Check(object value, SweepCatalog catalog)
    {
        if (Contract.Problem(value) is { } problem)
            return Contract.Choices is { } choices ? problem + ClosestName.Hint((string)value, choices) : problem;
        return CatalogCheck?.Invoke(value, catalog);
    }
}
