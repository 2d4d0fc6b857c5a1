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
[GrainDirectory(IWorkerGrain.Directory)]
internal sealed class WorkerGrain(
    TrialTrainer trainer, WorkerPlan plan, WorkerMetrics metrics, ILogger<WorkerGrain> logger, IServer? server = null)
    : Grain, IWorkerGrain
{
    /// <summary>Wait before trying again after an exchange failed (scheduler moving, orchestrator restarting).</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    // Reports not known to be stored yet, sent with every exchange until the scheduler says so: the first `repeated`
    // of each list went with an earlier exchange, the rest are new. Kept across failed exchanges.
    private readonly List<EpochReport> unsentEpochs = [];
    private readonly List<EndReport> unsentEnds = [];
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
            var report = new WorkerReport(key.ToString(), key.Device, device!.Slots, slots.Free, slots.Running,
                [.. unsentEpochs], [.. unsentEnds], slots.RecentImagesPerSecond, MetricsHosting.ScrapeUrl(server), plan.Cores, device.ThreadsPerSlot,
                device.TrialsPerSlot, trialMemory);
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
                Obey(slots, orders);
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

    private void Drain(string device, DeviceSlots slots)
    {
        while (slots.Events.TryRead(out var trialEvent))
        {
            switch (trialEvent)
            {
                case EpochFinished epoch:
                    DropOlderResumePoints(epoch.Lease);
                    unsentEpochs.Add(new EpochReport(epoch.Lease, epoch.TrialId, epoch.Metrics, epoch.ResumePoint));
                    metrics.EpochFinished(device, epoch.Metrics);
                    break;
                case TrialEnded end:
                    unsentEnds.Add(new EndReport(end.Lease, end.TrialId, end.Result));
                    metrics.TrialEnded(device, end.Result);
                    break;
            }
        }
    }

    /// <summary>Only a trial's newest resume point is worth sending, so one the scheduler has not taken yet gives way to the next.</summary>
    private void DropOlderResumePoints(Guid lease)
    {
        for (var i = 0; i < unsentEpochs.Count; i++)
        {
            if (unsentEpochs[i] is { ResumePoint: not null } older && older.Lease == lease)
                unsentEpochs[i] = older with { ResumePoint = null };
        }
    }

    private void Obey(DeviceSlots slots, WorkerOrders orders)
    {
        foreach (var lease in orders.Cancel)
            slots.Cancel(lease);
        foreach (var group in orders.Assignments.GroupBy(assignment => assignment.Group == Guid.Empty ? assignment.Lease : assignment.Group))
        {
            if (!slots.TryStart([.. group.Select(a => new SlotTrial(a.TrialId, a.Lease, a.Spec, a.ResumeFrom))]))
                logger.LogWarning("Worker {Worker}: no free slot for trial(s) {Trials}; their leases will expire",
                    this.GetPrimaryKeyString(), string.Join(", ", group.Select(a => $"{a.TrialId} (lease {a.Lease})")));
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
