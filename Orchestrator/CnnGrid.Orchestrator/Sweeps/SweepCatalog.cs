namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// The models and datasets the host can train, supplied by the host so that parsing needs no TorchSharp.
/// </summary>
/// <param name="Models">Known model names.</param>
/// <param name="Datasets">Known datasets by name.</param>
/// <param name="FitCheck">
/// Optional: given a model and a dataset name, says why the model cannot train on that dataset
/// (e.g. it expects a different image size), or returns null when it can.
/// </param>
public sealed record SweepCatalog(
    IReadOnlySet<string> Models,
    IReadOnlyDictionary<string, CatalogDataset> Datasets,
    Func<string, string, string?>? FitCheck = null);
