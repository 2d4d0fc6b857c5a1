using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Abstractions.Views;
using CnnGrid.Orchestrator.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Carries a sweep's plan on past its first trials, from what is stored: every <see cref="Interval"/> it finds the
/// running sweeps with a trial paused at a successive-halving rung or a refit waiting, and whose trials changed since
/// it last looked; stops or promotes their paused configurations (<see cref="SuccessiveHalving"/>), and once nothing
/// else is left to train, queues the refit of the best configuration. Every change is a conditional update in
/// PostgreSQL (only paused trials move, only a waiting refit is queued), so a restart, or a second orchestrator silo
/// doing the same, never moves a trial twice; the scheduler is told after PostgreSQL.
/// </summary>
public sealed class SweepConductor(
    TrialStore store, SweepLimits limits, SweepCatalog catalog, IGrainFactory grains, SweepMetrics metrics, ILogger<SweepConductor> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    // What each sweep was at when last decided on, and its parsed spec.
    private readonly Dictionary<string, (int Paused, int Ended)> decidedAt = [];
    private readonly Dictionary<string, SweepSpec> specs = [];

    // Trials queued in PostgreSQL whose call to the scheduler failed (a timeout under load): sent again before anything
    // else at the next tick, since no later decision would see them again (they are no longer paused or waiting) and
    // the scheduler would otherwise find them only at its next activation. It skips trials it already holds.
    private readonly List<QueuedTrial> unsent = [];

    /// <summary>Decides once on every sweep that has something new to decide.</summary>
    public async Task ConductAsync(CancellationToken cancellationToken)
    {
        await SendUnsentAsync();
        var sweeps = await store.SweepsToConductAsync(cancellationToken);
        foreach (var gone in decidedAt.Keys.Except(sweeps.Select(sweep => sweep.SweepId)).ToList())
        {
            decidedAt.Remove(gone);
            specs.Remove(gone);
        }
        foreach (var sweep in sweeps)
        {
            if (sweep.Undecidable || (decidedAt.TryGetValue(sweep.SweepId, out var known) && known == (sweep.Paused, sweep.Ended)))
                continue;
            if (!specs.TryGetValue(sweep.SweepId, out var spec))
            {
                var parsed = SweepSpecParser.Parse(sweep.SpecJson, limits, catalog);
                if (!parsed.IsValid)
                {
                    logger.LogError("Sweep {Sweep}'s stored spec no longer parses; its paused trials and refit wait", sweep.SweepId);
                    continue;
                }
                specs[sweep.SweepId] = spec = parsed.Sweep.Spec;
            }
            await DecideAsync(sweep.SweepId, spec, sweep.Alpha ?? ConfigComparison.DefaultAlpha, sweep.Rope ?? ConfigComparison.DefaultRope, cancellationToken);
            decidedAt[sweep.SweepId] = (sweep.Paused, sweep.Ended);
        }
    }

    private async Task DecideAsync(string sweepId, SweepSpec spec, double alpha, double rope, CancellationToken cancellationToken)
    {
        var trials = await store.RungTrialsAsync(sweepId, cancellationToken);
        if (spec.Search.Schedule is { } schedule)
        {
            var moves = SuccessiveHalving.Decide(schedule, trials, alpha, rope);
            foreach (var move in moves)
                await MoveAsync(sweepId, schedule, move, cancellationToken);
            // Read again only when the moves changed what the refit waits for.
            if (moves.Count > 0)
                trials = await store.RungTrialsAsync(sweepId, cancellationToken);
        }
        if (trials.Any(trial => trial is { Refit: true, State: TrialState.Waiting })
            && trials.All(trial => trial.Refit || trial.State is not (TrialState.Queued or TrialState.Running or TrialState.Paused)))
            await QueueRefitAsync(sweepId, spec, trials, cancellationToken);
    }

    private async Task MoveAsync(string sweepId, HalvingSchedule schedule, RungMove move, CancellationToken cancellationToken)
    {
        if (!move.Promoted)
        {
            var stopped = await store.StopAtRungAsync(move.TrialIds, move.Rung, $"stopped at rung {move.Rung}: {move.Reason}", cancellationToken);
            metrics.TrialsPruned(stopped);
            logger.LogInformation("Sweep {Sweep}: configuration {Config} stopped at rung {Rung} ({Reason})", sweepId, move.ConfigId, move.Rung, move.Reason);
            return;
        }
        var promoted = await store.PromoteAsync(move.TrialIds, schedule.PauseAfterEpoch(move.Rung + 1), cancellationToken);
        logger.LogInformation("Sweep {Sweep}: configuration {Config} promoted to rung {Rung}", sweepId, move.ConfigId, move.Rung + 1);
        // Promotion counts no attempt: the trial resumes from the point it paused at.
        await EnqueueAsync([.. promoted.Select(trial => new QueuedTrial(trial.TrialId, sweepId, trial.Spec, Attempts: 0, MayResume: true))]);
    }

    private async Task EnqueueAsync(IReadOnlyList<QueuedTrial> trials)
    {
        unsent.AddRange(trials);
        await SendUnsentAsync();
    }

    private async Task SendUnsentAsync()
    {
        if (unsent.Count == 0)
            return;
        await grains.GetGrain<ITrialSchedulerGrain>(0).EnqueueFirst([.. unsent]);
        unsent.Clear();
    }

    /// <summary>
    /// The best configuration (<see cref="ConfigResults"/>: under halving, of the last rung), trained on every training image
    /// for the median of its folds' best epochs.
    /// </summary>
    private async Task QueueRefitAsync(string sweepId, SweepSpec spec, IReadOnlyList<RungTrial> trials, CancellationToken cancellationToken)
    {
        var best = (await ConfigResults.ReadAsync(store, sweepId, cancellationToken)).Configs.FirstOrDefault(config => config.MostAccurate);
        if (best is null)
        {
            await store.DropRefitAsync(sweepId, "no configuration completed every trial: nothing to refit", cancellationToken);
            return;
        }
        var folds = trials.Where(trial => !trial.Refit && trial.ConfigId == best.ConfigId).ToList();
        var bestEpochs = folds.Select(trial => trial.BestEpoch ?? 0).Where(epoch => epoch > 0).Order().ToList();
        var epochs = bestEpochs.Count == 0 ? folds[0].Spec.Epochs : bestEpochs[(bestEpochs.Count - 1) / 2];
        var refit = folds[0].Spec with { Refit = true, Epochs = epochs, PauseAfterEpoch = null, Patience = null, Fold = 0, Seed = spec.Seeds[0] };
        if (await store.QueueRefitAsync(sweepId, best.ConfigId, refit, cancellationToken) is not { } trialId)
            return;
        logger.LogInformation("Sweep {Sweep}: refitting configuration {Config} on every training image for {Epochs} epoch(s)", sweepId, best.ConfigId, epochs);
        await EnqueueAsync([new QueuedTrial(trialId, sweepId, refit, Attempts: 0)]);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ConductAsync(stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // PostgreSQL or the scheduler unreachable for a while: what was not decided is decided at a later tick.
                logger.LogWarning(error, "Could not decide on the sweeps' paused trials and refits");
                decidedAt.Clear();
            }
        }
    }
}
