using System.Diagnostics;
using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Sweeps;
using Microsoft.Extensions.Logging;

namespace CnnGrid.Orchestrator.Scheduling;

/// <summary>
/// The cluster's trial queue and lease table, in memory and rebuilt from PostgreSQL on activation. Exchanges are
/// answered from memory, once the epochs and ends they hand in are stored; other trial writes go through
/// <see cref="TrialWriteBuffer"/> and trial ends reach their sweeps in batches, both on a timer.
/// </summary>
public sealed class TrialSchedulerGrain(TrialStore store, SchedulerOptions options, SchedulerMetrics metrics, ILogger<TrialSchedulerGrain> logger)
    : Grain, ITrialSchedulerGrain
{
    // Longest an exchange waits for PostgreSQL, once for loading resume points and once for storing its reports, so
    // that with the database down it still answers well within Orleans' 30 s call timeout.
    private static readonly TimeSpan StoreWait = TimeSpan.FromSeconds(5);

    // Sweep submission order, then plan order; re-queued attempts go to the front.
    private readonly LinkedList<QueuedTrial> queue = [];
    // Trials queued or leased: what Enqueue skips.
    private readonly HashSet<string> known = [];
    private readonly Dictionary<Guid, TrialLease> leases = [];
    private readonly Dictionary<string, KnownWorker> workers = [];
    private readonly Dictionary<string, List<EndedTrial>> unsentEnds = [];
    private readonly TrialWriteBuffer writes = new(store, logger);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var unfinished = await store.LoadUnfinishedAsync(cancellationToken);
        var cancelledSweeps = await CancelledSweepsAsync(unfinished, cancellationToken);
        // Leases come back with a fresh expiry: live workers keep reporting them, lost ones let them expire.
        var expiresAt = DateTimeOffset.UtcNow + options.LeaseTimeout;
        foreach (var trial in unfinished)
        {
            var queued = new QueuedTrial(trial.Id, trial.SweepId, trial.Spec, trial.Attempts);
            known.Add(trial.Id);
            if (trial is { State: TrialState.Running, LeaseId: { } lease, Worker: { } worker })
                leases[lease] = new TrialLease(lease, queued, trial.Attempts, worker, expiresAt) { Cancelled = cancelledSweeps.Contains(trial.SweepId) };
            else
                queue.AddLast(queued);
        }
        logger.LogInformation("Scheduler activated with {Queued} queued and {Running} running trial(s) from PostgreSQL", queue.Count, leases.Count);
        metrics.Publish(queue.Count, leases.Count);

        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(options.FlushInterval, options.FlushInterval) { Interleave = true });
        var expiryCheck = options.LeaseTimeout / 4;
        this.RegisterGrainTimer(ExpireLeases, new GrainTimerCreationOptions(expiryCheck, expiryCheck));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        while (writes.Pending > 0 && !cancellationToken.IsCancellationRequested && await writes.FlushAsync())
        {
        }
        if (writes.Pending > 0)
            logger.LogError("Scheduler deactivating ({Reason}) with {Pending} trial write(s) not stored; the trials' leases expire and they run again", reason, writes.Pending);
        SendEnds();
    }

    async Task<WorkerOrders> ITrialSchedulerGrain.Exchange(WorkerReport report)
    {
        var started = Stopwatch.GetTimestamp();
        var now = DateTimeOffset.UtcNow;
        var known = workers.TryGetValue(report.WorkerId, out var worker);
        if (known)
            worker!.Update(report, now);
        else
            workers[report.WorkerId] = worker = new KnownWorker(report, now);

        // The reports of the worker's previous exchange must be stored before this answer lets it forget them.
        if (worker.ReportedInBatch is { } reported && writes.Holds(reported))
            await StoreReportsAsync();
        // A scheduler new to the worker (just activated) can't vouch for what it sent before: it comes again with this report.
        var previousStored = known && (worker.ReportedInBatch is not { } previous || !writes.Holds(previous));

        // Reports under a lease this scheduler no longer holds come from an attempt that was given up (or ended, when
        // the worker repeats its last exchange's reports): ignored, as are epochs already taken.
        var lastEpochs = worker.LastEpochs;
        worker.LastEpochs = [.. report.Epochs.Select(epoch => (epoch.Lease, epoch.Metrics.Epoch))];
        foreach (var epoch in report.Epochs)
        {
            if (Held(epoch.Lease, epoch.TrialId, report.WorkerId) is null || lastEpochs.Contains((epoch.Lease, epoch.Metrics.Epoch)))
                continue;
            writes.Epoch(epoch.TrialId, epoch.Metrics);
            if (epoch.ResumePoint is { } point)
                writes.KeepResumePoint(epoch.TrialId, point);
        }
        foreach (var end in report.Ends)
        {
            if (Held(end.Lease, end.TrialId, report.WorkerId) is { } lease)
                End(lease, end.Result);
        }

        var cancel = new List<Guid>();
        foreach (var running in report.RunningLeases)
        {
            if (leases.TryGetValue(running, out var lease) && lease.WorkerId == report.WorkerId)
            {
                lease.ExpiresAt = now + options.LeaseTimeout;
                if (lease.Cancelled)
                    cancel.Add(running);
            }
            else
            {
                cancel.Add(running);
            }
        }

        // Leases the worker has not confirmed yet still take a slot, so a device is never over-subscribed.
        var held = leases.Values.Count(lease => lease.WorkerId == report.WorkerId);
        var free = Math.Min(report.FreeSlots, report.Slots - held);
        var assignments = new List<TrialAssignment>();
        // Retried trials whose resume point can't be read now (PostgreSQL down) wait at the front of the queue rather
        // than lose their progress; first attempts have none and stay answered from memory.
        var deferred = new List<QueuedTrial>();
        using var resumeLoad = new CancellationTokenSource(StoreWait);
        while (assignments.Count < free && queue.First is { } next)
        {
            queue.RemoveFirst();
            var trial = next.Value;
            var (ready, resumeFrom) = trial.Attempts > 0 ? await ResumePointAsync(trial.TrialId, resumeLoad.Token) : (true, null);
            if (!ready)
            {
                resumeLoad.Cancel();
                deferred.Add(trial);
                continue;
            }
            assignments.Add(Assign(trial, report.WorkerId, now, resumeFrom));
        }
        for (var i = deferred.Count - 1; i >= 0; i--)
            queue.AddFirst(deferred[i]);
        worker.Idle = assignments.Count < free;
        // Answered now, so freed slots get their next trials without waiting on PostgreSQL; these reports are stored by
        // the next flush, at the latest before this worker's next exchange is answered (it repeats them till then).
        if (report.Epochs.Count > 0 || report.Ends.Count > 0)
            worker.ReportedInBatch = writes.CurrentBatch;
        else if (previousStored)
            worker.ReportedInBatch = null;
        if (writes.IsLarge)
            _ = writes.FlushAsync();
        metrics.ExchangeAnswered(Stopwatch.GetElapsedTime(started));
        return new WorkerOrders(assignments, cancel, options.PollAfter, previousStored);
    }

    Task ITrialSchedulerGrain.Enqueue(IReadOnlyList<QueuedTrial> trials)
    {
        var added = 0;
        foreach (var trial in trials)
        {
            if (known.Add(trial.TrialId))
            {
                queue.AddLast(trial);
                added++;
            }
        }
        if (added > 0)
            NudgeIdleWorkers();
        return Task.CompletedTask;
    }

    Task ITrialSchedulerGrain.CancelSweep(string sweepId)
    {
        var cancelled = new TrialResult { Outcome = TrialOutcome.Cancelled, Epochs = [], BestEpoch = 0, Reason = "the sweep was cancelled" };
        for (var node = queue.First; node is not null;)
        {
            var next = node.Next;
            var trial = node.Value;
            if (trial.SweepId == sweepId)
            {
                queue.Remove(node);
                known.Remove(trial.TrialId);
                metrics.TrialEnded(TrialOutcome.Cancelled);
                // A retried trial may still be running or failed in PostgreSQL (its requeue not stored yet), where
                // cancelling the sweep does not reach it: record its end here.
                if (trial.Attempts > 0)
                    writes.End(trial.TrialId, cancelled);
            }
            node = next;
        }
        foreach (var lease in leases.Values.Where(lease => lease.Trial.SweepId == sweepId))
            lease.Cancelled = true;
        return Task.CompletedTask;
    }

    Task<IReadOnlyList<WorkerStatus>> ITrialSchedulerGrain.GetWorkers()
    {
        var now = DateTimeOffset.UtcNow;
        IReadOnlyList<WorkerStatus> statuses = [.. LiveWorkers(now).Select(worker => new WorkerStatus(
            worker.LastReport.WorkerId,
            worker.LastReport.Device,
            worker.LastReport.Slots,
            [.. leases.Values.Where(lease => lease.WorkerId == worker.LastReport.WorkerId).Select(lease => lease.Trial.TrialId)],
            worker.LastReport.RecentImagesPerSecond,
            worker.LastReport.MetricsUrl,
            worker.LastSeen))];
        return Task.FromResult(statuses);
    }

    Task<int> ITrialSchedulerGrain.GetQueueDepth() => Task.FromResult(queue.Count);

    private TrialLease? Held(Guid lease, string trialId, string workerId) =>
        leases.TryGetValue(lease, out var held) && held.Trial.TrialId == trialId && held.WorkerId == workerId ? held : null;

    private TrialAssignment Assign(QueuedTrial trial, string workerId, DateTimeOffset now, ResumePoint? resumeFrom)
    {
        var lease = new TrialLease(Guid.NewGuid(), trial, trial.Attempts + 1, workerId, now + options.LeaseTimeout);
        leases.Add(lease.Id, lease);
        writes.Start(new TrialStart(trial.TrialId, workerId, lease.Attempt, lease.Id, lease.ExpiresAt, resumeFrom?.Epoch));
        if (resumeFrom is not null)
            logger.LogInformation("Trial {Trial} attempt {Attempt} on {Worker} resumes after epoch {Epoch}", trial.TrialId, lease.Attempt, workerId, resumeFrom.Epoch);
        return new TrialAssignment(trial.TrialId, trial.SweepId, trial.Spec, lease.Attempt, lease.Id, resumeFrom);
    }

    /// <summary>
    /// A retried trial's newest resume point: one still waiting to be stored, else PostgreSQL's (none if it never
    /// finished an epoch). Not ready when PostgreSQL can't answer before <paramref name="deadline"/>.
    /// </summary>
    private async Task<(bool Ready, ResumePoint? Point)> ResumePointAsync(string trialId, CancellationToken deadline)
    {
        if (writes.PendingResumePoint(trialId) is { } pending)
            return (true, pending);
        if (deadline.IsCancellationRequested)
            return (false, null);
        try
        {
            return (true, await store.GetResumePointAsync(trialId, deadline));
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Loading the resume point of trial {Trial} failed; it waits in the queue", trialId);
            return (false, null);
        }
    }

    /// <summary>The attempt under <paramref name="lease"/> ended: completed and diverged trials are final, others are retried while attempts last.</summary>
    private void End(TrialLease lease, TrialResult result)
    {
        leases.Remove(lease.Id);
        known.Remove(lease.Trial.TrialId);
        if (lease.Cancelled || result.Outcome is TrialOutcome.Completed or TrialOutcome.Diverged)
            Finish(lease, result);
        else
            Retry(lease, result.Reason ?? $"the attempt ended {result.Outcome.ToString().ToLowerInvariant()}", result);
    }

    private void Retry(TrialLease lease, string reason, TrialResult? result)
    {
        var trial = lease.Trial;
        if (lease.Attempt >= options.MaxAttempts)
        {
            Finish(lease, new TrialResult
            {
                Outcome = TrialOutcome.Failed,
                Epochs = result?.Epochs ?? [],
                BestEpoch = result?.BestEpoch ?? 0,
                BestCheckpoint = result?.BestCheckpoint,
                Reason = $"{reason} (attempt {lease.Attempt} of {options.MaxAttempts})",
            });
            return;
        }
        logger.LogInformation("Trial {Trial} attempt {Attempt} on {Worker} will be retried: {Reason}", trial.TrialId, lease.Attempt, lease.WorkerId, reason);
        known.Add(trial.TrialId);
        queue.AddFirst(trial with { Attempts = lease.Attempt });
        writes.Requeue(trial.TrialId);
        NudgeIdleWorkers();
    }

    private void Finish(TrialLease lease, TrialResult result)
    {
        var trial = lease.Trial;
        writes.End(trial.TrialId, result);
        metrics.TrialEnded(result.Outcome);
        if (!unsentEnds.TryGetValue(trial.SweepId, out var ends))
            unsentEnds[trial.SweepId] = ends = [];
        ends.Add(new EndedTrial(trial.TrialId, result.Outcome, FoldMeasurement.FromResult(result)));
    }

    private Task ExpireLeases(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var lease in leases.Values.Where(lease => lease.ExpiresAt <= now).ToList())
        {
            leases.Remove(lease.Id);
            known.Remove(lease.Trial.TrialId);
            var reason = $"worker {lease.WorkerId} stopped reporting the trial for {options.LeaseTimeout.TotalSeconds:0.#} s";
            if (lease.Cancelled)
                Finish(lease, new TrialResult { Outcome = TrialOutcome.Cancelled, Epochs = [], BestEpoch = 0, Reason = reason });
            else
                Retry(lease, reason, result: null);
        }
        foreach (var gone in workers.Values.Where(worker => now - worker.LastSeen > options.LeaseTimeout).ToList())
            workers.Remove(gone.LastReport.WorkerId);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stores every buffered write. A failed or hanging store (PostgreSQL down) gives up after <see cref="StoreWait"/>,
    /// with the writes kept buffered and retried, so that the exchanges of every worker do not wait on the database;
    /// the worker then keeps repeating its reports.
    /// </summary>
    private async Task StoreReportsAsync()
    {
        try
        {
            await writes.FlushAllAsync().WaitAsync(StoreWait);
        }
        catch (TimeoutException)
        {
            // Still buffered: a later flush stores them.
        }
        // As the timed flush does: a sweep stored as completed already counts its last trial.
        SendEnds();
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await writes.FlushAsync();
        SendEnds();
        // Gauges follow the queue at the flush rate: frequent enough for any scrape interval.
        metrics.Publish(queue.Count, leases.Count);
    }

    private void SendEnds()
    {
        foreach (var (sweepId, ends) in unsentEnds)
            GrainFactory.GetGrain<ISweepGrain>(sweepId).TrialsEnded(ends).Ignore();
        unsentEnds.Clear();
    }

    private void NudgeIdleWorkers()
    {
        foreach (var worker in LiveWorkers(DateTimeOffset.UtcNow).Where(worker => worker.Idle))
        {
            worker.Idle = false;
            GrainFactory.GetGrain<IWorkerGrain>(worker.LastReport.WorkerId).WorkAvailable().Ignore();
        }
    }

    private IEnumerable<KnownWorker> LiveWorkers(DateTimeOffset now) =>
        workers.Values.Where(worker => now - worker.LastSeen <= options.LeaseTimeout);

    private async Task<HashSet<string>> CancelledSweepsAsync(IReadOnlyList<TrialRecord> unfinished, CancellationToken cancellationToken)
    {
        var cancelled = new HashSet<string>();
        foreach (var sweepId in unfinished.Where(trial => trial.State == TrialState.Running).Select(trial => trial.SweepId).Distinct())
        {
            if (await store.GetSweepAsync(sweepId, cancellationToken) is { Summary.State: SweepState.Cancelled })
                cancelled.Add(sweepId);
        }
        return cancelled;
    }
}
