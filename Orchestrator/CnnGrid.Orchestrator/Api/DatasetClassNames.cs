using CnnGrid.Abstractions.Catalog;

namespace CnnGrid.Orchestrator.Api;

/// <summary>Class names for the API's views, from the training catalog.</summary>
internal static class DatasetClassNames
{
    /// <summary>The dataset's class names by label; none for a name the catalog does not know (a sweep stored by another version).</summary>
    public static IReadOnlyList<string> Of(string dataset) =>
        TrainingCatalog.Datasets.FirstOrDefault(known => known.Name == dataset)?.ClassNames ?? [];
}
