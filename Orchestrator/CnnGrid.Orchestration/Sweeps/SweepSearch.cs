namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// How a sweep picks its configurations and how long each trains (the spec's <c>search</c>): every combination of the
/// grid's lists (the default), <see cref="Configurations"/> drawn at random from its lists and distributions,
/// reproducibly by <see cref="Seed"/> (the spec is read again from PostgreSQL after a restart and must give the same
/// draws), or successive halving (<see cref="Schedule"/>) over the grid's combinations or such draws.
/// </summary>
public sealed record SweepSearch(string Kind, int? Configurations = null, int Seed = 0, HalvingSchedule? Schedule = null)
{
    public const string Grid = "grid";
    public const string Random = "random";
    public const string Halving = "halving";

    public static SweepSearch Default { get; } = new(Grid);

    public static IReadOnlyList<string> Kinds { get; } = [Grid, Random, Halving];

    /// <summary>The configurations are drawn (a random search, or halving over a drawn set) rather than the grid's product.</summary>
    public bool Draws => Configurations is not null;

    /// <summary>Whether the best configuration is refit on all training images unless the spec says otherwise.</summary>
    public bool RefitsByDefault => Kind != Grid;
}
