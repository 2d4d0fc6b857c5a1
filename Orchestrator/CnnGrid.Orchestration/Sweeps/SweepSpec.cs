using CnnGrid.Abstractions;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>A validated sweep spec: what is fixed for every trial and what the grid varies.</summary>
public sealed record SweepSpec
{
    /// <summary>Client-supplied id that makes a repeated submit idempotent; null when the client gave none.</summary>
    public string? Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Every fixed setting; <see cref="TrialSpec.Fold"/> is 0 and grid values are not applied.</summary>
    public required TrialSpec Base { get; init; }

    /// <summary>
    /// The varied hyperparameters, in the spec's order; empty for a single configuration. In a random search only the
    /// <c>seed</c> list stays here: the other hyperparameters are drawn into <see cref="Samples"/>.
    /// </summary>
    public required IReadOnlyList<GridAxis> Grid { get; init; }

    /// <summary>How the configurations were picked (the spec's <c>search</c>).</summary>
    public SweepSearch Search { get; init; } = SweepSearch.Default;

    /// <summary>
    /// Whether the best configuration is trained once more on every training image for its best epoch count and tested on
    /// the dataset's held-out test split once the sweep's other trials have ended (the spec's <c>refit</c>).
    /// </summary>
    public bool Refit { get; init; }

    /// <summary>A random search's configurations (values by hyperparameter), in draw order; null for a grid.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>>? Samples { get; init; }

    /// <summary>The seeds every configuration runs under: the grid's <c>seed</c> list (repeated cross-validation) or the fixed seed.</summary>
    public IReadOnlyList<int> Seeds =>
        Grid.FirstOrDefault(axis => axis.Name == Hyperparameters.Seed) is { } seeds
            ? seeds.Values.Select(seed => (int)seed!).ToArray()
            : [Base.Seed];

    public long TrialCount => SweepExpander.CountTrials(Base.Folds,
        Samples is { } samples ? [samples.Count, Seeds.Count] : Grid.Select(axis => axis.Values.Count));
}
