namespace CnnGrid.Abstractions.Catalog;

/// <summary>What the orchestrator and the trainer both know about a dataset, without touching its files.</summary>
/// <param name="Name">The name a spec gives it.</param>
/// <param name="Shape">Each image's shape, channels first.</param>
/// <param name="ClassNames">The classes by label (CIFAR-10's may be renamed by a <c>batches.meta.txt</c> beside its batches).</param>
/// <param name="TrainingImages">Images in the training split: the pool the folds are cut from.</param>
/// <param name="RequiresPath">Whether a spec must say where its files are (Fashion-MNIST comes from a Debian package).</param>
public sealed record DatasetFacts(
    string Name, ImageShape Shape, IReadOnlyList<string> ClassNames, int TrainingImages, bool RequiresPath)
{
    public int Classes => ClassNames.Count;
}
