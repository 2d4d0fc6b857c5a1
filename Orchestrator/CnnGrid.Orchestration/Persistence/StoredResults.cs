namespace CnnGrid.Orchestrator.Persistence;

/// <summary>A sweep's stored trial results and the spec's comparison settings, as <see cref="TrialStore.ResultsAsync"/> reads them.</summary>
/// <param name="ConfigParams">Each configuration's hyperparameters, by configuration id.</param>
/// <param name="Alpha">The spec's <c>alpha</c>, or null where it gives none.</param>
/// <param name="Rope">The spec's <c>rope</c>, or null where it gives none.</param>
public sealed record StoredResults(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> ConfigParams,
    IReadOnlyList<FoldResult> Trials,
    double? Alpha,
    double? Rope);
