using CnnGrid.Orchestrator.Persistence;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>A sweep that passed validation, with its id and (on first use) its expansion into trials.</summary>
public sealed class ParsedSweep : IPlannedSweep
{
    private readonly Lazy<IReadOnlyList<PlannedTrial>> trials;

    /// <param name="id">The sweep's id: the client's, or a fresh one when the spec has none.</param>
    /// <param name="spec">The validated spec.</param>
    public ParsedSweep(string id, SweepSpec spec)
    {
        Id = id;
        Spec = spec;
        trials = new Lazy<IReadOnlyList<PlannedTrial>>(() => SweepExpander.Expand(spec, id));
    }

    public string Id { get; }
    public SweepSpec Spec { get; }
    public string Name => Spec.Name;
    public long TrialCount => Spec.TrialCount;

    /// <summary>Trials per configuration: seeds × folds, the count a configuration needs to be complete.</summary>
    public int TrialsPerConfig => Spec.Seeds.Count * Spec.Base.Folds;

    /// <summary>Every trial, configuration by configuration, then seed, then fold.</summary>
    public IReadOnlyList<PlannedTrial> Trials => trials.Value;
}
