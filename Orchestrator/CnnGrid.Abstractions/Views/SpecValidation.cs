namespace CnnGrid.Abstractions.Views;

/// <summary>The body of <c>POST /api/sweeps/validate</c>: the trials a spec expands to, and what is wrong with it.</summary>
/// <param name="Trials">Trials of the valid spec; for an invalid one the size its grid would have, or null when that cannot be told.</param>
/// <param name="Problems">Every problem found; empty when the spec is valid.</param>
public sealed record SpecValidation(long? Trials, IReadOnlyList<SpecProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}
