using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Persistence;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// One sweep: stores and queues its trials, then counts their ends into a running aggregate per configuration.
/// Activated for a sweep that already exists, it rebuilds that state from the trials table (no epoch rows).
/// </summary>
public sealed class SweepGrain(TrialStore store, SweepCatalog catalog, SweepLimits limits, SweepMetrics metrics) : Grain, ISweepGrain
{
    // Trials read per query while rebuilding.
    private const int RebuildPage = 5_000;

    private readonly Dictionary<string, PlannedTrial> trials = [];
    private readonly Dictionary<string, ConfigAccumulator> configs = [];
    private readonly HashSet<string> ended = [];

    private string SweepId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await store.GetSweepAsync(SweepId, cancellationToken) is not { } stored)
            return;
        Plan(Parse(stored.SpecJson));
        for (var offset = 0; offset < stored.Summary.TotalTrials; offset += RebuildPage)
        {
            var page = await store.ListTrialsAsync(SweepId, offset, RebuildPage, cancellationToken);
            Count(page.Where(trial => trial.State is not (TrialState.Queued or TrialState.Running)).Select(trial => new EndedTrial(
                trial.Id,
                trial.Outcome ?? TrialOutcome.Cancelled,
                trial is { FinalValidationAccuracy: { } accuracy, BestValidationAccuracy: { } best, FinalValidationLoss: { } loss }
                    ? new FoldMeasurement(accuracy, best, loss)
                    : null)));
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Withdraw(SweepId);
        return Task.CompletedTask;
    }

    async Task<bool> ISweepGrain.Start(string specJson)
    {
        if (trials.Count > 0)
            return false; // this activation holds an existing sweep
        var parsed = Parse(specJson);
        if (!await store.InsertSweepAsync(parsed, specJson))
            return false; // inserted meanwhile by another activation: it queued the trials
        Plan(parsed);
        await GrainFactory.GetGrain<ITrialSchedulerGrain>(0).Enqueue(
            [.. parsed.Trials.Select(trial => new QueuedTrial(trial.TrialId, parsed.Id, trial.Spec, Attempts: 0))]);
        return true;
    }

    async Task<bool> ISweepGrain.Cancel()
    {
        if (!await store.CancelSweepAsync(SweepId))
            return false;
        metrics.Withdraw(SweepId);
        await GrainFactory.GetGrain<ITrialSchedulerGrain>(0).CancelSweep(SweepId);
        return true;
    }

    Task ISweepGrain.TrialsEnded(IReadOnlyList<EndedTrial> ends)
    {
        Count(ends);
        return Task.CompletedTask;
    }

    Task<IReadOnlyList<ConfigAggregate>> ISweepGrain.GetConfigs() =>
        Task.FromResult(ConfigRanking.Rank(configs.Values.Select(config => config.ToAggregate())));

    /// <summary>The spec as this sweep: the grain's key is the sweep's id (a spec without an id would get a random one).</summary>
    private ParsedSweep Parse(string specJson)
    {
        var result = SweepSpecParser.Parse(specJson, limits, catalog);
        if (!result.IsValid)
            throw new ArgumentException($"Sweep {SweepId}: invalid spec: " +
                string.Join("; ", result.Problems.Select(problem => $"{problem.Path}: {problem.Message}")), nameof(specJson));
        if (result.Sweep.Spec.Id is { } id && id != SweepId)
            throw new ArgumentException($"Sweep {SweepId}: the spec's id is '{id}'.", nameof(specJson));
        return new ParsedSweep(SweepId, result.Sweep.Spec);
    }

    private void Plan(ParsedSweep parsed)
    {
        foreach (var trial in parsed.Trials)
        {
            trials.Add(trial.TrialId, trial);
            if (!configs.ContainsKey(trial.ConfigId))
                configs.Add(trial.ConfigId, new ConfigAccumulator(trial.ConfigId, trial.Params, parsed.TrialsPerConfig));
        }
    }

    private void Count(IEnumerable<EndedTrial> ends)
    {
        foreach (var end in ends)
        {
            if (!trials.TryGetValue(end.TrialId, out var trial) || !ended.Add(end.TrialId))
                continue;
            if (end is { Outcome: TrialOutcome.Completed, Measurement: { } measurement })
                configs[trial.ConfigId].Add(trial.Spec.Seed, trial.Spec.Fold, measurement);
        }
        metrics.Publish(SweepId, [.. configs.Values.Select(config => config.ToAggregate())]);
    }
}
