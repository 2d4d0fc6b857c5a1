using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Persistence;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// One sweep: queues and stores its trials, then counts their ends into a running aggregate per configuration.
/// Activated for a sweep that already exists, it rebuilds that state from the trials table (no epoch rows) and queues
/// again the trials still queued there.
/// </summary>
public sealed class SweepGrain(TrialStore store, SweepCatalog catalog, SweepLimits limits, SweepMetrics metrics) : Grain, ISweepGrain
{
    // Trials read per query while rebuilding.
    private const int RebuildPage = 5_000;

    // Where each trial's end counts, until every trial has ended: then only the aggregates stay, since a finished
    // sweep's grain lives on (Orleans' idle collection) and its planned specs would hold memory for nothing.
    private readonly Dictionary<string, (string ConfigId, int Seed, int Fold)> trials = [];
    private readonly Dictionary<string, ConfigAccumulator> configs = [];
    private readonly HashSet<string> ended = [];
    private bool planned;

    private string SweepId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Withdraw(SweepId);
        return Task.CompletedTask;
    }

    async Task<bool> ISweepGrain.Start(string specJson)
    {
        if (planned)
        {
            // A resubmit: perhaps of a Start that stored the trials and then failed (or crashed) before queuing them.
            await CatchUpAsync(CancellationToken.None);
            return false;
        }
        var parsed = Parse(specJson);
        var scheduler = GrainFactory.GetGrain<ITrialSchedulerGrain>(0);
        // The trials start while their rows are being stored (most of a second for 10,000), their writes held until
        // they are; the caller hears of the sweep only once it is stored.
        bool inserted;
        try
        {
            await scheduler.EnqueueWhileStoring(SweepId,
                [.. parsed.Trials.Select(trial => new QueuedTrial(trial.TrialId, parsed.Id, trial.Spec, Attempts: 0))]);
            inserted = await store.InsertSweepAsync(parsed, specJson);
        }
        catch
        {
            await scheduler.Withdraw(SweepId);
            throw;
        }
        if (!inserted)
        {
            await scheduler.Withdraw(SweepId);
            await LoadAsync(CancellationToken.None); // stored meanwhile, by another activation or process
            return false;
        }
        Plan(parsed);
        if (!await scheduler.Stored(SweepId))
            await CatchUpAsync(CancellationToken.None);
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

    /// <summary>Plans the stored sweep of this id, if there is one, and catches up with its trials.</summary>
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (await store.GetSweepAsync(SweepId, cancellationToken) is not { } stored)
            return;
        Plan(Parse(stored.SpecJson));
        await CatchUpAsync(cancellationToken);
    }

    /// <summary>
    /// Counts the stored ends this activation has not counted and hands the trials still queued in PostgreSQL to the
    /// scheduler: a crash or a failed call between storing a sweep and queuing its trials must not strand them until
    /// the scheduler happens to re-activate. Enqueue skips the trials the scheduler already holds.
    /// </summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var queued = new List<QueuedTrial>();
        for (var offset = 0; offset < trials.Count; offset += RebuildPage)
        {
            var page = await store.ListTrialsAsync(SweepId, offset, RebuildPage, cancellationToken);
            queued.AddRange(page.Where(trial => trial.State == TrialState.Queued)
                .Select(trial => new QueuedTrial(trial.Id, SweepId, trial.Spec, trial.Attempts)));
            Count(page.Where(trial => trial.State is not (TrialState.Queued or TrialState.Running)).Select(trial => new EndedTrial(
                trial.Id,
                trial.Outcome ?? TrialOutcome.Cancelled,
                trial is { FinalValidationAccuracy: { } accuracy, BestValidationAccuracy: { } best, FinalValidationLoss: { } loss }
                    ? new FoldMeasurement(accuracy, best, loss)
                    : null)));
        }
        if (queued.Count > 0)
            await GrainFactory.GetGrain<ITrialSchedulerGrain>(0).Enqueue(queued);
    }

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
        planned = true;
        foreach (var trial in parsed.Trials)
        {
            trials.Add(trial.TrialId, (trial.ConfigId, trial.Spec.Seed, trial.Spec.Fold));
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
                configs[trial.ConfigId].Add(trial.Seed, trial.Fold, measurement);
        }
        if (ended.Count == trials.Count)
        {
            trials.Clear();
            ended.Clear();
        }
        metrics.Publish(SweepId, [.. configs.Values.Select(config => config.ToAggregate())]);
    }
}
