using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Hosting;
using CnnGrid.Training.Devices;
using CnnGrid.Training.Slots;
using CnnGrid.Training.Trials;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Logging;
using Orleans.GrainDirectory;
using Orleans.Placement;
using TorchSharp;

namespace CnnGrid.Workers;

/// <summary>
/// One device of this process: trains up to its <see cref="DeviceSlotPlan.Slots"/> trials at once and trades their epochs
/// and ends for new trials with the scheduler, in short calls. Wakes when a trial reports, when the scheduler nudges,
/// or after the scheduler's poll interval (the heartbeat that renews its leases).
/// </summary>
/// <param name="server">The process's web server, whose address the worker reports as its metrics URL; none in tests.</param>
[PreferLocalPlacement]
[GrainDirectory(ConsistentDirectory.Name)]
internal sealed class WorkerGrain(
    TrialTrainer trainer, WorkerPlan plan, ResumePointStore resumePoints, WorkerMetrics metrics, ILogger<WorkerGrain> logger, IServer? server = null)
    : Grain, IWorkerGrain
{
    /// <summary>Wait before trying again after an exchange failed (scheduler moving, orchestrator restarting).</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    // Reports not known to be stored yet, sent with every exchange until the scheduler says so: the first `repeated`
    // of each list went with an earlier exchange, the rest are new. Kept across failed exchanges.
    private readonly List<EpochReport> unsentEpochs = [];
    private readonly List<EndReport> unsentEnds = [];
    // Each running trial's newest resume point not yet in PostgreSQL (kept across failed writes; one per trial).
    private readonly Dictionary<string, ResumePoint> unsavedResumePoints = [];
    private int repeatedEpochs;
    private int repeatedEnds;
    private readonly CancellationTokenSource stopping = new();
    private TaskCompletionSource workAvailable = NewSignal();
    private DeviceSlots? slots;
    private DeviceSlotPlan? device;
    private long trialMemory;
    private Task? loop;

    Task IWorkerGrain.Start()
    {
        if (loop is not null)
            return Task.CompletedTask;
        var key = WorkerKey.Parse(this.GetPrimaryKeyString());
        if (key.ProcessId != Environment.ProcessId || key.Host != Environment.MachineName)
            throw new InvalidOperationException($"Worker {key} was activated in process {Environment.ProcessId} on " +
                $"{Environment.MachineName}: a worker trains only in the process its key names.");
        device = plan.Devices.Single(device => device.Device == key.Device);
        var torchDevice = TorchDevice.Parse(key.Device);
        long? freeMemory = torchDevice.type == DeviceType.CPU ? null : GpuMemory.FreeBytes(torchDevice.index);
        trialMemory = freeMemory is { } free ? (long)(free * CoreBudget.GpuMemoryShare) : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        slots = new DeviceSlots(trainer, torchDevice, device, device.MemoryBounded ? freeMemory : null);
        // Deactivation would stop the trials, so the activation stays until the silo stops.
        this.RegisterGrainTimer(_ => Task.CompletedTask,
            new GrainTimerCreationOptions(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)) { KeepAlive = true });
        loop = RunAsync(key, slots, stopping.Token);
        return Task.CompletedTask;
    }

    Task IWorkerGrain.WorkAvailable()
    {
        if (loop is null)
            DeactivateOnIdle(); // a nudge for a worker whose process is gone activated this one: nothing to do here
        else
            workAvailable.TrySetResult();
        return Task.CompletedTask;
    }

    async Task IWorkerGrain.Leave()
    {
        if (loop is null || slots is null)
            return;
        var key = WorkerKey.Parse(this.GetPrimaryKeyString());
        await stopping.CancelAsync();
        await loop;
        var stopped = slots.Running.ToHashSet();
        // Stops the trials at their next batch and waits for them; their finished epochs and resume points are events.
        await slots.DisposeAsync();
        Drain(key.Device, slots, givenBack: stopped);
        await SaveResumePointsAsync(key, CancellationToken.None);
        await GrainFactory.GetGrain<ITrialSchedulerGrain>(0).Exchange(Report(key, slots) with { FreeSlots = 0, RunningLeases = [], Leaving = [.. stopped] });
        logger.LogInformation("Worker {Worker} left: {Trials} trial(s) given back, {Epochs} epoch(s) and {Ends} end(s) reported",
            key, stopped.Count, unsentEpochs.Count, unsentEnds.Count);
        unsentEpochs.Clear();
        unsentEnds.Clear();
        slots = null;
        loop = null;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        if (loop is not null)
            await loop.WaitAsync(cancellationToken);
        metrics.Withdraw(this.GetPrimaryKeyString());
        // Trials stopped here end cancelled but are not reported: their leases expire and the scheduler re-queues them.
        if (slots is not null)
            await slots.DisposeAsync();
        stopping.Dispose();
    }

    private async Task RunAsync(WorkerKey key, DeviceSlots slots, CancellationToken stop)
    {
        var scheduler = GrainFactory.GetGrain<ITrialSchedulerGrain>(0);
        var wait = TimeSpan.Zero;
        while (await WaitAsync(slots, wait, stop))
        {
            workAvailable = NewSignal();
            Drain(key.Device, slots);
            await SaveResumePointsAsync(key, stop);
            var report = Report(key, slots);
            metrics.Publish(new WorkerSnapshot(report.WorkerId, report.Device, report.Slots, report.Slots - report.FreeSlots,
                report.RecentImagesPerSecond));
            try
            {
                var orders = await scheduler.Exchange(report);
                if (orders.PreviousReportsStored)
                {
                    unsentEpochs.RemoveRange(0, repeatedEpochs);
                    unsentEnds.RemoveRange(0, repeatedEnds);
                }
                (repeatedEpochs, repeatedEnds) = (unsentEpochs.Count, unsentEnds.Count);
                await ObeyAsync(slots, orders, stop);
                wait = orders.PollAfter;
            }
            catch (Exception error) when (!stop.IsCancellationRequested)
            {
                logger.LogWarning(error, "Worker {Worker}: exchange with the scheduler failed; {Epochs} epoch(s) and {Ends} end(s) kept to send again",
                    key, unsentEpochs.Count, unsentEnds.Count);
                wait = RetryAfter;
            }
        }
    }

    /// <summary>What the worker tells the scheduler now: its slots, running leases and the reports not known to be stored.</summary>
    private WorkerReport Report(WorkerKey key, DeviceSlots slots) =>
        new(key.ToString(), key.Device, device!.Slots, slots.Free, slots.Running, [.. unsentEpochs], [.. unsentEnds],
            slots.RecentImagesPerSecond, MetricsHosting.ScrapeUrl(server), plan.Cores, device.ThreadsPerSlot, device.TrialsPerSlot, trialMemory);

    /// <summary>Waits for a trial event, a nudge or the end of <paramref name="wait"/>; false once the worker stops.</summary>
    private async Task<bool> WaitAsync(DeviceSlots slots, TimeSpan wait, CancellationToken stop)
    {
        if (stop.IsCancellationRequested)
            return false;
        if (wait <= TimeSpan.Zero || slots.Events.TryPeek(out _))
            return true;
        using var woken = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var trialEvent = slots.Events.WaitToReadAsync(woken.Token).AsTask();
        var pollTime = Task.Delay(wait, woken.Token);
        await Task.WhenAny(trialEvent, pollTime, workAvailable.Task);
        await woken.CancelAsync();
        return !stop.IsCancellationRequested;
    }

    /// <param name="givenBack">Leases whose trials a leaving worker stopped: their cancelled ends are not reported (the trials are given back).</param>
    private void Drain(string device, DeviceSlots slots, HashSet<Guid>? givenBack = null)
    {
        while (slots.Events.TryRead(out var trialEvent))
        {
            switch (trialEvent)
            {
                case EpochFinished epoch:
                    if (epoch.ResumePoint is { } point)
                        unsavedResumePoints[epoch.TrialId] = point;
                    unsentEpochs.Add(new EpochReport(epoch.Lease, epoch.TrialId, epoch.Metrics));
                    metrics.EpochFinished(device, epoch.Metrics);
                    break;
                case TrialEnded end when givenBack?.Contains(end.Lease) == true && end.Result.Outcome == TrialOutcome.Cancelled:
                    break;
                case TrialEnded end:
                    // Its end deletes the stored point; a late write would leave one behind. A paused trial's point is
                    // where its promotion resumes: it is stored before its end is reported.
                    if (end.Result.Outcome != TrialOutcome.Paused)
                        unsavedResumePoints.Remove(end.TrialId);
                    givenBack?.Remove(end.Lease); // it ended on its own meanwhile: reported, not given back
                    unsentEnds.Add(new EndReport(end.Lease, end.TrialId, end.Result));
                    metrics.TrialEnded(device, end.Result);
                    break;
            }
        }
    }

    /// <summary>
    /// Stores the newest resume points in PostgreSQL before their epochs are reported. When the database cannot take
    /// them now they wait for the next exchange; the trials' epochs are reported anyway (a lost worker's trial then
    /// resumes from an older point, or from epoch 1).
    /// </summary>
    private async Task SaveResumePointsAsync(WorkerKey key, CancellationToken stop)
    {
        if (unsavedResumePoints.Count == 0)
            return;
        try
        {
            await resumePoints.SaveAsync([.. unsavedResumePoints.Select(point => (point.Key, point.Value))], stop);
            unsavedResumePoints.Clear();
        }
        catch (Exception error) when (!stop.IsCancellationRequested)
        {
            logger.LogWarning(error, "Worker {Worker}: storing {Count} resume point(s) failed; they are tried again with the next exchange",
                key, unsavedResumePoints.Count);
        }
    }

    private async Task ObeyAsync(DeviceSlots slots, WorkerOrders orders, CancellationToken stop)
    {
        foreach (var lease in orders.Cancel)
            slots.Cancel(lease);
        foreach (var group in orders.Assignments.GroupBy(assignment => assignment.Group == Guid.Empty ? assignment.Lease : assignment.Group))
        {
            List<SlotTrial> trials = [];
            foreach (var assignment in group)
                trials.Add(new SlotTrial(assignment.TrialId, assignment.Lease, assignment.Spec, await ResumePointAsync(assignment, stop)));
            if (!slots.TryStart(trials))
                logger.LogWarning("Worker {Worker}: no free slot for trial(s) {Trials}; their leases will expire",
                    this.GetPrimaryKeyString(), string.Join(", ", group.Select(a => $"{a.TrialId} (lease {a.Lease})")));
        }
    }

    /// <summary>
    /// The stored point a retried trial's assignment refers to. Without it (the database failing now, or a newer
    /// point written since by a lost attempt, which is as good) the trial resumes from what is there, or starts at
    /// epoch 1: it trains to the same result either way.
    /// </summary>
    private async Task<ResumePoint?> ResumePointAsync(TrialAssignment assignment, CancellationToken stop)
    {
        if (assignment.ResumeAfterEpoch is not { } epoch)
            return null;
        try
        {
            var point = await resumePoints.LoadAsync(assignment.TrialId, stop);
            if (point?.Epoch != epoch)
                logger.LogWarning("Worker {Worker}: trial {Trial} was to resume after epoch {Epoch}; the stored point is at {Stored}",
                    this.GetPrimaryKeyString(), assignment.TrialId, epoch, point?.Epoch.ToString() ?? "none: it starts at epoch 1");
            return point;
        }
        catch (Exception error) when (!stop.IsCancellationRequested)
        {
            logger.LogWarning(error, "Worker {Worker}: reading trial {Trial}'s resume point failed; it starts at epoch 1",
                this.GetPrimaryKeyString(), assignment.TrialId);
            return null;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
