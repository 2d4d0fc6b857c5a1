using CnnGrid.Abstractions.Catalog;
using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

/// <summary>The models and datasets the host offers, as the sweep parser sees them: the training catalog's, no fit check.</summary>
internal static class TestCatalog
{
    public static IReadOnlyList<string> ModelNames { get; } = [.. TrainingCatalog.Models.Select(model => model.Name)];

    public static SweepCatalog Default { get; } = new(
        new HashSet<string>(ModelNames),
        TrainingCatalog.Datasets.ToDictionary(dataset => dataset.Name));
}
