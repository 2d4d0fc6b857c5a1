using System.Collections.Concurrent;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Models;
using CnnGrid.Training.Trials;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>The <see cref="SweepCatalog"/> of what CnnGrid.Training can train: its models (and <c>noop</c>) and datasets.</summary>
public static class TrainingCatalog
{
    /// <summary>Images in each dataset's training split (the pool the folds are cut from).</summary>
    private static readonly IReadOnlyDictionary<string, CatalogDataset> Datasets = new Dictionary<string, CatalogDataset>
    {
        [DatasetCatalog.FashionMnist] = new(60_000, 1, RequiresPath: false),
        [DatasetCatalog.Mnist] = new(60_000, 1, RequiresPath: true),
        [DatasetCatalog.Cifar10] = new(50_000, 3, RequiresPath: true),
    };

    public static SweepCatalog Create()
    {
        // Building a model to see whether it fits costs milliseconds; a sweep checks each pair once per submit.
        var fits = new ConcurrentDictionary<(string Model, string Dataset), string?>();
        return new SweepCatalog(
            new HashSet<string>(ModelCatalog.Names.Append(NoopTrial.Model)),
            Datasets,
            (model, dataset) => fits.GetOrAdd((model, dataset), key => FitProblem(key.Model, key.Dataset)));
    }

    private static string? FitProblem(string model, string dataset)
    {
        if (model == NoopTrial.Model)
            return null;
        var info = DatasetCatalog.Describe(dataset);
        try
        {
            ModelCatalog.Describe(model, new ModelOptions(info.Shape, info.Classes));
            return null;
        }
        catch (ArgumentException error)
        {
            return error.Message;
        }
    }
}
