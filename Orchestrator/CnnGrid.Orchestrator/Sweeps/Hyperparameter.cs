using CnnGrid.Abstractions;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>A setting that a spec either fixes once or varies under <c>grid</c>.</summary>
/// <param name="Name">Its name in the spec and in <see cref="PlannedTrial.Params"/>.</param>
/// <param name="Kind">The JSON type of its values.</param>
/// <param name="Nullable">Whether null is a value (the model's default, or "off").</param>
/// <param name="FixedPath">Where a fixed value is written: usually <see cref="Name"/> at the top level.</param>
/// <param name="Check">Given a non-null value of <see cref="Kind"/>, says what is wrong with it, or null.</param>
/// <param name="Apply">Sets the value on a trial spec.</param>
internal sealed record Hyperparameter(
    string Name,
    SpecValueKind Kind,
    bool Nullable,
    string FixedPath,
    Func<object, SweepCatalog, string?> Check,
    Func<TrialSpec, object?, TrialSpec> Apply)
{
    /// <summary>Where a fixed value goes, as a message says it.</summary>
    public string FixedPlace => FixedPath == Name ? "at the top level" : $"in {FixedPath}";
}
