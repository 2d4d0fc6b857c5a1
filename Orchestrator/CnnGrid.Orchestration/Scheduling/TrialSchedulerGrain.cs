using System.Diagnostics;
using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Sweeps;
using Microsoft.Extensions.Logging;
using Orleans.GrainDirectory;

namespace CnnGrid.Orchestrator.Scheduling;

/// <summary>
/// The cluster's trial queue and lease table, in memory and rebuilt from PostgreSQL on activation. Exchanges are
/// answered from memory, once the epochs and ends of the worker's previous exchange are stored; trial writes go
/// through <see cref="TrialWriteBuffer"/>, stored as soon as the flush before them is done. Trial ends reach their
/// sweeps with the exchange that reports them, before they are stored: a sweep stored as completed counts its last trial.
/// </summary>
[GrainDirectory(ConsistentDirectory.Name)]
public sealed class TrialSchedulerGrain(TrialStore store, SchedulerOptions options, SchedulerMetrics metrics, ILogger<TrialSchedulerGrain> logger)
    : Grain, ITrialSchedulerGrain
{
    // Longest an exchange waits for PostgreSQL, once for storing the previous reports and once for loading resume
    // points, so that with the database down it still answers well within Orleans' 30 s call timeout.
    private static readonly TimeSpan StoreWait = TimeSpan.FromSeconds(5);

    private readonly TrialQueue queue = new();
    private readonly LeaseTable leases = new();
    private readonly Dictionary<string, KnownWorker> workers = [];
    private readonly HeldWrites heldWrites = new();
    private readonly TrialWriteBuffer writes = new(store, logger);
    private bool holdingBack;

    // When an exchange last gave up waiting for PostgreSQL (see ExpireLeases).
    private DateTimeOffset storeWaitTimedOutAt = DateTimeOffset.MinValue;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await store.DeleteOrphanResumePointsAsync(cancellationToken);
        var unfinished = await store.LoadUnfinishedAsync(cancellationToken: cancellationToken);
        var cancelledSweeps = await CancelledSweepsAsync(unfinished, cancellationToken);
        // Leases come back with a fresh expiry: live workers keep reporting them, lost ones let them expire.
        var expiresAt = DateTimeOffset.UtcNow + options.LeaseTimeout;
        foreach (var (trial, leaseId, hasResumePoint) in unfinished)
        {
            // A promoted or given-back trial has counted no attempt yet has a point to resume from.
            var queued = new QueuedTrial(trial.Id, trial.SweepId, trial.Spec, trial.Attempts, MayResume: hasResumePoint);
            if (trial is { State: TrialState.Running, Worker: { } worker } && leaseId is { } lease)
                leases.Add(new TrialLease(lease, queued, trial.Attempts, worker, expiresAt) { Cancelled = cancelledSweeps.Contains(trial.SweepId) });
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
    }

    async Task<WorkerOrders> ITrialSchedulerGrain.Exchange(WorkerReport report)
    {
        var started = Stopwatch.GetTimestamp();
        var now = DateTimeOffset.UtcNow;
        var (worker, previousStored, stop) = await TakeInAsync(report, now);
        var assignments = await AssignAsync(worker, report, now);
        if (report.Leaving is not null)
            workers.Remove(report.WorkerId); // not nudged, not listed; its given-back trials go to the others
        // Answered without waiting on PostgreSQL, so freed slots get their next trials at once; the reports and starts
        // are stored right away (after the flush that runs, if one does) rather than on the timer, so this worker's next
        // exchange seldom waits for them, and a sweep's last ends complete it without delay.
        if (CarriesReports(report) || writes.IsLarge)
            writes.FlushSoon();
        metrics.ExchangeAnswered(Stopwatch.GetElapsedTime(started));
        return new WorkerOrders(assignments, stop, options.PollAfter, previousStored);
    }

    /// <summary>
    /// The intake half of an exchange: the worker's reports written, its running leases renewed. Returns whether the
    /// reports of its previous exchange are stored (it may forget them) and the leases it must stop.
    /// </summary>
    private async Task<(KnownWorker Worker, bool PreviousStored, List<Guid> Stop)> TakeInAsync(WorkerReport report, DateTimeOffset now)
    {
        var known = workers.TryGetValue(report.WorkerId, out var worker);
        if (known)
            worker!.Update(report, now);
        else
            workers[report.WorkerId] = worker = new KnownWorker(report, now);

        // The reports of the worker's previous exchange must be stored before this answer lets it forget them: waiting
        // here (they are being stored since that exchange) bounds how often a worker repeats a report to once.
        if (worker.ReportedInBatch is { } reported && writes.Holds(reported))
            await StoreReportsAsync(reported);
        // A scheduler new to the worker (just activated) can't vouch for what it sent before: it comes again with this report.
        var previousStored = known && worker.ReportedToStoring.Count == 0
            && (worker.ReportedInBatch is not { } previous || !writes.Holds(previous));
        TakeReports(worker, report);
        var stop = leases.Renew(report, now + options.LeaseTimeout);
        if (CarriesReports(report))
            worker.ReportedInBatch = writes.CurrentBatch;
        else if (previousStored)
            worker.ReportedInBatch = null;
        return (worker, previousStored, stop);
    }

    private static bool CarriesReports(WorkerReport report) => report.Epochs.Count > 0 || report.Ends.Count > 0;

    Task ITrialSchedulerGrain.Enqueue(IReadOnlyList<QueuedTrial> trials)
    {
        EnqueueTrials(trials);
        return Task.CompletedTask;
    }

    Task ITrialSchedulerGrain.EnqueueFirst(IReadOnlyList<QueuedTrial> trials)
    {
        EnqueueTrials(trials, first: true);
        return Task.CompletedTask;
    }

    Task ITrialSchedulerGrain.EnqueueWhileStoring(string sweepId, IReadOnlyList<QueuedTrial> trials)
    {
        heldWrites.Hold(sweepId);
        EnqueueTrials(trials);
        return Task.CompletedTask;
    }

    Task<bool> ITrialSchedulerGrain.Stored(string sweepId)
    {
        if (!heldWrites.Release(sweepId))
            return Task.FromResult(false);
        foreach (var worker in workers.Values)
        {
            if (worker.ReportedToStoring.Remove(sweepId))
                worker.ReportedInBatch = writes.CurrentBatch;
        }
        writes.FlushSoon();
        return Task.FromResult(true);
    }

    Task ITrialSchedulerGrain.Withdraw(string sweepId)
    {
        heldWrites.Drop(sweepId);
        queue.TakeSweep(sweepId);
        // Their workers are told to stop them at their next exchange, as for any lease the scheduler does not hold.
        foreach (var lease in leases.OfSweep(sweepId))
            leases.Remove(lease);
        foreach (var worker in workers.Values)
            worker.ReportedToStoring.Remove(sweepId);
        logger.LogWarning("Sweep {Sweep} was not stored by its start: the trials it queued are withdrawn", sweepId);
        return Task.CompletedTask;
    }

    private void EnqueueTrials(IReadOnlyList<QueuedTrial> trials, bool first = false)
    {
        List<QueuedTrial> added = [.. trials.Where(trial => !queue.Contains(trial.TrialId) && !leases.HoldsTrial(trial.TrialId))];
        if (first)
            queue.PutBack(added);
        else
            added.ForEach(queue.AddLast);
        if (added.Count > 0)
            NudgeIdleWorkers();
    }

    Task ITrialSchedulerGrain.CancelSweep(string sweepId)
    {
        var cancelled = new TrialResult { Outcome = TrialOutcome.Cancelled, Epochs = [], BestEpoch = 0, Reason = "the sweep was cancelled" };
        foreach (var trial in queue.TakeSweep(sweepId))
        {
            metrics.TrialEnded(TrialOutcome.Cancelled);
            // A retried trial may still be running or failed in PostgreSQL (its requeue not stored yet), where
            // cancelling the sweep does not reach it: record its end here.
            if (trial.Attempts > 0)
                heldWrites.Write(sweepId, () => writes.End(trial.TrialId, leaseId: null, cancelled));
        }
        foreach (var lease in leases.OfSweep(sweepId))
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
            [.. leases.OfWorker(worker.LastReport.WorkerId).Select(lease => lease.Trial.TrialId)],
            worker.LastReport.RecentImagesPerSecond,
            worker.LastReport.MetricsUrl,
            worker.LastSeen,
            worker.LastReport.Cores,
            worker.LastReport.ThreadsPerSlot,
            worker.LastReport.TrialsPerSlot,
            worker.LastReport.MemoryBytes))];
        return Task.FromResult(statuses);
    }

    Task<int> ITrialSchedulerGrain.GetQueueDepth() => Task.FromResult(queue.Count);

    /// <summary>
    /// Writes the worker's epochs and ends. Reports under a lease this scheduler no longer holds come from an attempt
    /// that was given up (or ended, when the worker repeats its last exchange's reports): ignored, as are epochs
    /// already taken.
    /// </summary>
    private void TakeReports(KnownWorker worker, WorkerReport report)
    {
        var lastEpochs = worker.LastEpochs;
        worker.LastEpochs = [.. report.Epochs.Select(epoch => (epoch.Lease, epoch.Metrics.Epoch))];
        foreach (var epoch in report.Epochs)
        {
            if (leases.Held(epoch.Lease, epoch.TrialId, report.WorkerId) is not { } lease || lastEpochs.Contains((epoch.Lease, epoch.Metrics.Epoch)))
                continue;
            heldWrites.Write(lease.Trial.SweepId, () => writes.Epoch(epoch.TrialId, epoch.Metrics));
            NoteReportedTo(worker, lease.Trial.SweepId);
        }
        foreach (var end in report.Ends)
        {
            if (leases.Held(end.Lease, end.TrialId, report.WorkerId) is { } lease)
            {
                End(lease, end.Result);
                NoteReportedTo(worker, lease.Trial.SweepId);
            }
        }
        foreach (var given in report.Leaving ?? [])
        {
            if (leases.OfWorker(report.WorkerId).FirstOrDefault(lease => lease.Id == given) is { } lease)
                GiveBack(lease);
        }
    }

    /// <summary>
    /// A leaving worker stopped the trial: queued again at the front, under the same attempt number, to resume from the
    /// point its worker stored (a cancelled sweep's trial ends cancelled instead).
    /// </summary>
    private void GiveBack(TrialLease lease)
    {
        leases.Remove(lease);
        var trial = lease.Trial;
        if (lease.Cancelled)
        {
            Finish(lease, new TrialResult { Outcome = TrialOutcome.Cancelled, Epochs = [], BestEpoch = 0, Reason = "its sweep was cancelled" });
            return;
        }
        logger.LogInformation("Trial {Trial} attempt {Attempt} was given back by {Worker}, which is leaving; it is queued again",
            trial.TrialId, lease.Attempt, lease.WorkerId);
        var requeued = trial with { Attempts = lease.Attempt - 1, MayResume = true };
        queue.AddFirst(requeued);
        heldWrites.Write(trial.SweepId, () => writes.Requeue(trial.TrialId, requeued.Attempts));
        NudgeIdleWorkers();
    }

    /// <summary>
    /// The assignment half of an exchange: leases queued trials for the worker's free slots. Leases it has not confirmed yet still take a slot, so a device
    /// is never over-subscribed. Retried trials whose resume point can't be read now (PostgreSQL down) wait at the
    /// front of the queue rather than lose their progress; first attempts have none and stay answered from memory.
    /// A worker that trains several trials a slot gets, with each trial that starts afresh, the first queued trials
    /// that fuse with it (the other dropout rates of its fold), up to its <see cref="WorkerReport.TrialsPerSlot"/>.
    /// </summary>
    private async Task<List<TrialAssignment>> AssignAsync(KnownWorker worker, WorkerReport report, DateTimeOffset now)
    {
        var free = Math.Min(report.FreeSlots, report.Slots - leases.SlotsTaken(report.WorkerId));
        if (free > 0 && queue.Count > 0 && writes.Pending >= options.MaxBufferedWrites)
        {
            // Back-pressure: PostgreSQL is behind; new trials would only add writes that cannot be stored.
            if (!holdingBack)
                logger.LogWarning("{Pending} trial writes wait for PostgreSQL (limit {Limit}): no trial is handed out until they are stored",
                    writes.Pending, options.MaxBufferedWrites);
            holdingBack = true;
            worker.Idle = true;
            return [];
        }
        holdingBack = false;
        var groups = 0;
        var assignments = new List<TrialAssignment>();
        var deferred = new List<QueuedTrial>();
        using var resumeLoad = new CancellationTokenSource(StoreWait);
        while (groups < free && queue.TakeFirst() is { } trial)
        {
            var (ready, resumeAfter) = trial.Attempts > 0 || trial.MayResume ? await ResumeEpochAsync(trial.TrialId, resumeLoad.Token) : (true, null);
            if (!ready)
            {
                resumeLoad.Cancel();
                deferred.Add(trial);
                continue;
            }
            var first = Assign(trial, report.WorkerId, now, resumeAfter);
            assignments.Add(first);
            groups++;
            if (resumeAfter is null)
                assignments.AddRange(queue.TakeFusing(trial, report.TrialsPerSlot - 1).Select(partner => Assign(partner, report.WorkerId, now, null, first.Group)));
        }
        queue.PutBack(deferred);
        worker.Idle = groups < free;
        return assignments;
    }

    private void NoteReportedTo(KnownWorker worker, string sweepId)
    {
        if (heldWrites.IsHeld(sweepId))
            worker.ReportedToStoring.Add(sweepId);
    }

    private TrialAssignment Assign(QueuedTrial trial, string workerId, DateTimeOffset now, int? resumeAfter, Guid? group = null)
    {
        var lease = new TrialLease(Guid.NewGuid(), trial, trial.Attempts + 1, workerId, now + options.LeaseTimeout, group);
        leases.Add(lease);
        var start = new TrialStart(trial.TrialId, workerId, lease.Attempt, lease.Id, lease.ExpiresAt, resumeAfter);
        heldWrites.Write(trial.SweepId, () => writes.Start(start));
        if (resumeAfter is not null)
            logger.LogInformation("Trial {Trial} attempt {Attempt} on {Worker} resumes after epoch {Epoch}", trial.TrialId, lease.Attempt, workerId, resumeAfter);
        return new TrialAssignment(trial.TrialId, trial.SweepId, trial.Spec, lease.Attempt, lease.Id, resumeAfter, lease.Group);
    }

    /// <summary>
    /// The epoch of a retried trial's stored resume point (its worker wrote it to PostgreSQL; none if it never finished
    /// an epoch). Not ready when PostgreSQL can't answer before <paramref name="deadline"/>.
    /// </summary>
    private async Task<(bool Ready, int? Epoch)> ResumeEpochAsync(string trialId, CancellationToken deadline)
    {
        if (deadline.IsCancellationRequested)
            return (false, null);
        try
        {
            return (true, await store.GetResumeEpochAsync(trialId, deadline));
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Loading the resume point of trial {Trial} failed; it waits in the queue", trialId);
            return (false, null);
        }
    }

    /// <summary>
    /// The attempt under <paramref name="lease"/> ended: completed, diverged and timed-out trials are final (another
    /// attempt would end the same), as is a trial paused at its rung (its sweep decides what follows); others are
    /// retried while attempts last.
    /// </summary>
    private void End(TrialLease lease, TrialResult result)
    {
        leases.Remove(lease);
        if (lease.Cancelled || result.TimedOut || result.Outcome is TrialOutcome.Completed or TrialOutcome.Diverged or TrialOutcome.Paused)
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
        queue.AddFirst(trial with { Attempts = lease.Attempt });
        heldWrites.Write(trial.SweepId, () => writes.Requeue(trial.TrialId, lease.Attempt));
        NudgeIdleWorkers();
    }

    private void Finish(TrialLease lease, TrialResult result)
    {
        var trial = lease.Trial;
        heldWrites.Write(trial.SweepId, () => writes.End(trial.TrialId, lease.Id, result));
        // A trial paused at its rung has not ended for good: its sweep stops or promotes it.
        if (result.Outcome != TrialOutcome.Paused)
            metrics.TrialEnded(result.Outcome);
    }

    /// <summary>
    /// Gives up the leases whose workers stopped reporting, and forgets the workers. Not while PostgreSQL is behind, nor
    /// for a lease timeout after: the exchanges that renew leases then queue behind this grain's waits on the database,
    /// so a lease looks expired while its worker is alive and trying to report, and the retry would cost the trial an
    /// attempt (and its running epoch) for the database's stall.
    /// </summary>
    private Task ExpireLeases(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var behindAt = writes.BehindAt(now) is { } flushBehind && flushBehind > storeWaitTimedOutAt ? flushBehind : storeWaitTimedOutAt;
        if (now - behindAt < options.LeaseTimeout)
            return Task.CompletedTask;
        foreach (var lease in leases.ExpiredAt(now))
        {
            leases.Remove(lease);
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
    /// Stores the writes made up to <paramref name="batch"/>. A failed or hanging store (PostgreSQL down) gives up after
    /// <see cref="StoreWait"/>, with the writes kept buffered and retried, so that the exchanges of every worker do not
    /// wait on the database; the worker then keeps repeating its reports.
    /// </summary>
    private async Task StoreReportsAsync(long batch)
    {
        try
        {
            await writes.StoredAsync(batch).WaitAsync(StoreWait);
        }
        catch (TimeoutException)
        {
            // Still buffered: a later flush stores them.
            storeWaitTimedOutAt = DateTimeOffset.UtcNow;
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await writes.FlushAsync();
        // Gauges follow the queue at the flush rate: frequent enough for any scrape interval.
        metrics.Publish(queue.Count, leases.Count);
    }

    private void NudgeIdleWorkers()
    {
        foreach (var worker in LiveWorkers(DateTimeOffset.UtcNow).Where(worker => worker.Idle))
        {
            worker.Idle = false;
            IWorkerGrain grain;
            try
            {
                grain = GrainFactory.GetGrain<IWorkerGrain>(worker.LastReport.WorkerId);
            }
            catch (ArgumentException)
            {
                // No silo in the cluster implements workers now (the last worker process is gone, or none ever joined):
                // nobody to nudge, and a worker that joins asks for trials itself.
                break;
            }
            grain.WorkAvailable().Ignore();
        }
    }

    private IEnumerable<KnownWorker> LiveWorkers(DateTimeOffset now) =>
        workers.Values.Where(worker => now - worker.LastSeen <= options.LeaseTimeout);

    private async Task<HashSet<string>> CancelledSweepsAsync(IReadOnlyList<UnfinishedTrial> unfinished, CancellationToken cancellationToken)
    {
        var cancelled = new HashSet<string>();
        foreach (var sweepId in unfinished.Where(entry => entry.Trial.State == TrialState.Running).Select(entry => entry.Trial.SweepId).Distinct())
        {
            if (await store.GetSweepAsync(sweepId, cancellationToken) is { Summary.State: SweepState.Cancelled })
                cancelled.Add(sweepId);
        }
        return cancelled;
    }
}
