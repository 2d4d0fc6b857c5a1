namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>What the parser needs to know about one dataset the workers can load.</summary>
/// <param name="TrainingImages">Images in the training split (the pool the folds are cut from).</param>
/// <param name="Channels">Colour channels, the length a per-channel mean or std must have.</param>
/// <param name="RequiresPath">Whether a spec must say where the dataset's files are.</param>
public sealed record CatalogDataset(int TrainingImages, int Channels, bool RequiresPath);
