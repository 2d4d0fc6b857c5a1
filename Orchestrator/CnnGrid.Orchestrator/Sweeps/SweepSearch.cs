namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// How a sweep picks its configurations (the spec's <c>search</c>): every combination of the grid's lists (the
/// default), or <see cref="Configurations"/> drawn at random from its lists and distributions, reproducibly by
/// <see cref="Seed"/> (the spec is read again from PostgreSQL after a restart and must give the same draws).
/// </summary>
public sealed record SweepSearch(string Kind, int? Configurations = null, int Seed = 0)
{
    public const string Grid = "grid";
    public const string Random = "random";

    public static SweepSearch Default { get; } = new(Grid);

    public static IReadOnlyList<string> Kinds { get; } = [Grid, Random];

    public bool IsRandom => Kind == Random;
}
