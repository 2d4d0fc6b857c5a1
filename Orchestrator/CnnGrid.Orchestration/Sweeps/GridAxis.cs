namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>One hyperparameter varied by a sweep and the values it takes, in the spec's order.</summary>
/// <param name="Name">The hyperparameter's spec name, e.g. <c>dropout</c>.</param>
/// <param name="Values">Distinct values: <see cref="int"/>, <see cref="double"/>, <see cref="string"/> or null (the model's default).</param>
public sealed record GridAxis(string Name, IReadOnlyList<object?> Values);
