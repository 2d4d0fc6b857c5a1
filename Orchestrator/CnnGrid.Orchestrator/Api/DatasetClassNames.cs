using CnnGrid.Training.Datasets;

namespace CnnGrid.Orchestrator.Api;

/// <summary>Class names for the API's views, from the dataset catalog.</summary>
internal static class DatasetClassNames
{
    /// <summary>The dataset's class names by label; none for a name the catalog does not know (a sweep stored by another version).</summary>
    public static IReadOnlyList<string> Of(string dataset) =>
        DatasetCatalog.Names.Contains(dataset) ? DatasetCatalog.Describe(dataset).ClassNames : [];
}
