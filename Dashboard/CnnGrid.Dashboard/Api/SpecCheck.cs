namespace CnnGrid.Dashboard.Api;

/// <summary>The body of <c>POST /api/sweeps/validate</c>: how many trials the spec expands to, and what is wrong with it.</summary>
public sealed record SpecCheck(long Trials, IReadOnlyList<SpecProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}
