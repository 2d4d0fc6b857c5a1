using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>The models and datasets a spec may name, as the parser checks them; tests give smaller ones.</summary>
/// <param name="Models">Known model names.</param>
/// <param name="Datasets">Known datasets by name.</param>
/// <param name="FitCheck">
/// Optional: given a model and a dataset name, says why the model cannot train on that dataset
/// (e.g. it expects a different image size), or returns null when it can.
/// </param>
public sealed record SweepCatalog(
    IReadOnlySet<string> Models,
    IReadOnlyDictionary<string, DatasetFacts> Datasets,
    Func<string, string, string?>? FitCheck = null)
{
    /// <summary>What the trainer can train (<see cref="TrainingCatalog"/>) and <c>noop</c>.</summary>
    public static SweepCatalog Default { get; } = new(
        new HashSet<string>(TrainingCatalog.Models.Select(model => model.Name).Append(TrialSpec.NoopModel)),
        TrainingCatalog.Datasets.ToDictionary(dataset => dataset.Name),
        (model, dataset) => model == TrialSpec.NoopModel
            ? null
            : TrainingCatalog.Model(model).FitProblem(TrainingCatalog.Dataset(dataset)));
}
