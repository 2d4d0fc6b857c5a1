using System.Text.Json;

namespace CnnGrid.Abstractions.Views;

/// <summary>A sweep as <c>GET /api/sweeps/{id}</c> shows it: progress, the spec, and every configuration's result so far, ranked.</summary>
public sealed record SweepView(SweepSummary Summary, JsonElement Spec, IReadOnlyList<ConfigAggregate> Configs)
{
    /// <summary>The sweep's dataset's class names, by label: what per-class accuracies and confusion matrices index.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>How the configurations were compared with the best; null before any configuration has two completed trials.</summary>
    public SweepComparison? Comparison { get; init; }

    /// <summary>Under successive halving, the epoch each rung ends at, first to last; empty for any other search.</summary>
    public IReadOnlyList<int> RungEpochs { get; init; } = [];

    /// <summary>Whether the sweep ends with the refit of its best configuration (the spec's <c>refit</c>, or its search's default).</summary>
    public bool Refits { get; init; }

    /// <summary>The refit of the best configuration on every training image, tested on the test split; null until it has completed (or when the sweep does not refit).</summary>
    public RefitResult? Refit { get; init; }
}
