namespace CnnGrid.Training.Tests.Models;

/// <summary>
/// Tests that change libtorch's process-wide intra-op thread count (directly, or through slot threads); they run
/// alone, so the reproducibility tests around them never see the count change mid-run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SingleThreadedTorchCollection
{
    public const string Name = "single-threaded torch";
}
