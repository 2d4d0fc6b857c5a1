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

    /// <summary>The varied hyperparameters, in the spec's order; empty for a single configuration.</summary>
    public required IReadOnlyList<GridAxis> Grid { get; init; }

    /// <summary>The seeds every configuration runs under: the grid's <c>seed</c> list (repeated cross-validation) or the fixed seed.</summary>
    public IReadOnlyList<int> Seeds =>
        Grid.FirstOrDefault(axis => axis.Name == Hyperparameters.Seed) is { } seeds
            ? seeds.Values.Select(seed => (int)seed!).ToArray()
            : [Base.Seed];

    public long TrialCount => SweepExpander.CountTrials(Base.Folds, Grid.Select(axis => axis.Values.Count));
}
