namespace CnnGrid.Abstractions.Catalog;

/// <summary>What the orchestrator needs to know about a model the trainer can build.</summary>
/// <param name="Name">The name a spec gives it.</param>
/// <param name="Summary">Its layers, in a line.</param>
/// <param name="Layers">Its layers, in order: the trainer builds them, <see cref="ModelSize"/> counts them.</param>
public sealed record ModelFacts(string Name, string Summary, Action<ILayerPlan> Layers)
{
    // Square sides tried to say how large an image a model needs; the catalog's deepest one needs 32.
    private const int LargestSideTried = 1024;

    /// <summary>Why the model cannot take the dataset's images, or null when it can.</summary>
    public string? FitProblem(DatasetFacts dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (Fits(dataset.Shape, dataset.Classes))
            return null;
        var side = Enumerable.Range(1, LargestSideTried)
            .FirstOrDefault(side => Fits(new ImageShape(dataset.Shape.Channels, side, side), dataset.Classes));
        return side > 0
            ? $"it needs images of at least {side}x{side} pixels; {dataset.Name}'s are {dataset.Shape}"
            : $"it cannot take {dataset.Name}'s {dataset.Shape} images";
    }

    private bool Fits(ImageShape shape, int classes)
    {
        try
        {
            ModelSize.Of(this, shape, classes);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
