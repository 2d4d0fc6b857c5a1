namespace CnnGrid.Abstractions.Catalog;

/// <summary>What the orchestrator needs to know about a model the trainer can build.</summary>
/// <param name="Name">The name a spec gives it.</param>
/// <param name="Summary">Its layers, in a line.</param>
/// <param name="MinimumSide">The smallest image height and width it takes (its poolings must leave a map of at least 1×1).</param>
public sealed record ModelFacts(string Name, string Summary, int MinimumSide = 1)
{
    /// <summary>Why the model cannot take the dataset's images, or null when it can.</summary>
    public string? FitProblem(DatasetFacts dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Shape.Height >= MinimumSide && dataset.Shape.Width >= MinimumSide
            ? null
            : $"it needs images of at least {MinimumSide}x{MinimumSide} pixels; {dataset.Name}'s are {dataset.Shape}";
    }
}
