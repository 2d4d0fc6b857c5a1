using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Abstractions.Views;
using CnnGrid.Orchestrator.Persistence;
using Microsoft.Extensions.Logging;
using Orleans.GrainDirectory;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// One sweep: stores its trials and queues them on the scheduler. Activated for a sweep that already exists, it queues
/// again the trials still queued in PostgreSQL. Its results are read from the stored trials (<see cref="ConfigResults"/>),
/// so the grain holds no per-trial state and nobody reports trial ends to it.
/// </summary>
[GrainDirectory(ConsistentDirectory.Name)]
public sealed class SweepGrain(TrialStore store, SweepCatalog catalog, SweepLimits limits, ILogger<SweepGrain> logger) : Grain, ISweepGrain
{
    // Trials read per query while catching up.
    private const int CatchUpPage = 5_000;

    // How often a cancel the scheduler did not acknowledge is sent again.
    private static readonly TimeSpan CancelRetry = TimeSpan.FromSeconds(5);

    private IGrainTimer? cancelRetry;

    private int plannedTrials;
    private bool planned;

    private string SweepId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

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
                [.. parsed.Trials.Where(trial => !trial.Refit).Select(trial => new QueuedTrial(trial.TrialId, parsed.Id, trial.Spec, Attempts: 0))]);
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

    /// <summary>
    /// Cancels in PostgreSQL, then tells the scheduler, which stops the running trials. A sweep already cancelled there
    /// (a cancel whose call to the scheduler was lost) is told again; a scheduler that does not answer is told again
    /// every <see cref="CancelRetry"/> until it acknowledges (its own activation reads cancelled sweeps from PostgreSQL).
    /// </summary>
    async Task<bool> ISweepGrain.Cancel()
    {
        var cancelled = await store.CancelSweepAsync(SweepId);
        if (cancelled || await store.GetSweepAsync(SweepId) is { Summary.State: SweepState.Cancelled })
            await TellSchedulerCancelledAsync(CancellationToken.None);
        return cancelled;
    }

    private async Task TellSchedulerCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await GrainFactory.GetGrain<ITrialSchedulerGrain>(0).CancelSweep(SweepId);
            cancelRetry?.Dispose();
            cancelRetry = null;
        }
        catch (Exception error) when (error is TimeoutException or OrleansException)
        {
            logger.LogWarning(error, "The scheduler did not acknowledge the cancel of sweep {Sweep}; telling it again in {Retry}", SweepId, CancelRetry);
            // Kept active until then, or the timer would go with the activation.
            DelayDeactivation(CancelRetry * 2);
            cancelRetry ??= this.RegisterGrainTimer(TellSchedulerCancelledAsync, new GrainTimerCreationOptions(CancelRetry, CancelRetry));
        }
    }

    async Task<IReadOnlyList<ConfigAggregate>> ISweepGrain.GetConfigs() => (await ConfigResults.ReadAsync(store, SweepId)).Configs;

    /// <summary>Plans the stored sweep of this id, if there is one, and catches up with its trials.</summary>
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (await store.GetSweepAsync(SweepId, cancellationToken) is not { } stored)
            return;
        Plan(Parse(stored.SpecJson));
        await CatchUpAsync(cancellationToken);
    }

    /// <summary>
    /// Hands the trials still queued in PostgreSQL to the scheduler: a crash or a failed call between storing a sweep
    /// and queuing its trials must not strand them until the scheduler happens to re-activate. Enqueue skips the trials
    /// the scheduler already holds.
    /// </summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var queued = new List<QueuedTrial>();
        for (var offset = 0; offset < plannedTrials; offset += CatchUpPage)
        {
            var page = await store.ListTrialsAsync(SweepId, offset, CatchUpPage, cancellationToken);
            queued.AddRange(page.Where(trial => trial.State == TrialState.Queued)
                .Select(trial => new QueuedTrial(trial.Id, SweepId, trial.Spec, trial.Attempts)));
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
        plannedTrials = parsed.Trials.Count;
    }
}
