using System.Threading.Channels;
using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;
using CnnGrid.Training.Trials;
using static TorchSharp.torch;

namespace CnnGrid.Training.Slots;

/// <summary>
/// Runs up to a fixed number of trials at once on one device, each synchronously on a dedicated thread (TorchSharp's
/// dispose scopes are thread-static), so callers such as a worker grain start trials and return at once instead of
/// holding a call open while training. Every trial reports its epochs and then exactly one <see cref="TrialEnded"/>
/// on <see cref="Events"/>; a trial that throws ends <see cref="TrialOutcome.Failed"/> instead of crashing the process.
/// </summary>
public sealed class DeviceSlots : IAsyncDisposable
{
    private const int ThroughputEpochs = 8;

    private readonly TrialTrainer trainer;
    private readonly Device device;
    private readonly int slots;
    private readonly Channel<TrialEvent> events = Channel.CreateUnbounded<TrialEvent>();
    private readonly ThroughputWindow throughput = new(ThroughputEpochs);
    private readonly Dictionary<Guid, (CancellationTokenSource Cancellation, Task Thread)> running = [];
    // Slots in use: trials that train together share one.
    private int busy;
    private readonly SlotThreads threads;
    private readonly MemoryBudget? memory;
    private bool disposed;

    /// <param name="plan">How many trials may train at once and with how many libtorch threads each.</param>
    /// <param name="freeMemoryBytes">With a memory-bounded plan (a GPU's <c>auto</c> slots): the device's free memory, which
    /// its trials' estimates (<see cref="TrialMemory"/>) share.</param>
    public DeviceSlots(TrialTrainer trainer, Device device, DeviceSlotPlan plan, long? freeMemoryBytes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.Slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.ThreadsPerSlot, 1);
        if (plan.MemoryBounded && freeMemoryBytes is null)
            throw new ArgumentException($"{plan.Device}'s slots are bounded by its memory, but its free memory is not known", nameof(freeMemoryBytes));
        this.trainer = trainer;
        this.device = device;
        slots = plan.Slots;
        memory = plan.MemoryBounded ? new MemoryBudget((long)(freeMemoryBytes!.Value * CoreBudget.GpuMemoryShare)) : null;
        threads = new SlotThreads(slots, $"cnngrid slot {device}", () => LibTorchThreads.Use(plan.ThreadsPerSlot));
    }

    /// <summary>Slots not running a trial (on a memory-bounded device, no more than the trials that fit its free memory).</summary>
    public int Free
    {
        get
        {
            lock (running)
            {
                return memory is null ? slots - busy : Math.Min(slots - busy, memory.Room);
            }
        }
    }

    /// <summary>Leases of the trials running now.</summary>
    public IReadOnlyList<Guid> Running
    {
        get
        {
            lock (running)
            {
                return [.. running.Keys];
            }
        }
    }

    /// <summary>
    /// Epochs and ends of all trials, in the order each trial produced them. A slot frees together with the writing of
    /// its trial's <see cref="TrialEnded"/>: a reader that has seen that event always finds the slot free. Completes
    /// once the slots are disposed and every trial has ended.
    /// </summary>
    public ChannelReader<TrialEvent> Events => events.Reader;

    /// <summary>Mean training throughput (images per second) of the last few epochs on this device, by any slot; 0 before the first.</summary>
    public double RecentImagesPerSecond => throughput.ImagesPerSecond;

    /// <summary>Starts <paramref name="spec"/> on a free slot; false, starting nothing, when every slot is busy.</summary>
    /// <param name="resumeFrom">Where an earlier run of the trial stopped; training continues from there (see <see cref="TrialTrainer.Run"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="lease"/> is already running.</exception>
    /// <exception cref="ObjectDisposedException">The slots were disposed.</exception>
    public bool TryStart(string trialId, Guid lease, TrialSpec spec, ResumePoint? resumeFrom = null) =>
        TryStart([new SlotTrial(trialId, lease, spec, resumeFrom)]);

    /// <summary>
    /// Starts trials that train together (<see cref="TrialTrainer.RunTogether"/>) on one free slot; false, starting
    /// nothing, when every slot is busy. Each still reports its own epochs and end, and is cancelled by its own lease.
    /// </summary>
    /// <exception cref="ArgumentException">A lease is already running, or the trials do not train together.</exception>
    /// <exception cref="ObjectDisposedException">The slots were disposed.</exception>
    public bool TryStart(IReadOnlyList<SlotTrial> trials)
    {
        ArgumentOutOfRangeException.ThrowIfZero(trials.Count);
        // Checked before a thread starts, so a bad group is refused here rather than reported as failed trials.
        if (TrialTrainer.TogetherProblem([.. trials.Select(trial => trial.Spec)], trials.Any(trial => trial.ResumeFrom is not null)) is { } problem)
            throw new ArgumentException($"trials {string.Join(", ", trials.Select(t => t.TrialId))}: {problem}", nameof(trials));
        lock (running)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (trials.FirstOrDefault(trial => running.ContainsKey(trial.Lease)) is { } again)
                throw new ArgumentException($"lease {again.Lease} (trial '{again.TrialId}') is already running", nameof(trials));
            if (busy >= slots)
                return false;

            var cancellations = trials.Select(_ => new CancellationTokenSource()).ToArray();
            // The thread's final step takes this lock, so it cannot remove its entries before they are added below.
            var thread = threads.Run(() => Train(trials, cancellations));
            for (var i = 0; i < trials.Count; i++)
                running.Add(trials[i].Lease, (cancellations[i], thread));
            busy++;
            return true;
        }
    }

    /// <summary>
    /// Asks the trial under <paramref name="lease"/> to stop before its next batch; it then ends
    /// <see cref="TrialOutcome.Cancelled"/>. Does nothing for a lease that is not running (it may have just ended).
    /// </summary>
    public void Cancel(Guid lease)
    {
        lock (running)
        {
            if (running.TryGetValue(lease, out var trial))
                trial.Cancellation.Cancel();
        }
    }

    /// <summary>Cancels every running trial, waits for their threads to end and completes <see cref="Events"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] ended;
        lock (running)
        {
            if (disposed)
                return;
            disposed = true;
            foreach (var trial in running.Values)
                trial.Cancellation.Cancel();
            ended = [.. running.Values.Select(trial => trial.Thread)];
        }

        await Task.WhenAll(ended).ConfigureAwait(false);
        threads.Dispose();
        events.Writer.TryComplete();
    }

    private void Train(IReadOnlyList<SlotTrial> trials, CancellationTokenSource[] cancellations)
    {
        var progress = trials.Select(trial => new SlotProgress(trial.TrialId, trial.Lease, events.Writer, throughput)).ToArray();
        IReadOnlyList<TrialResult> results;
        try
        {
            using var reservation = memory?.Reserve(trials.Sum(trial => trainer.MemoryEstimate(trial.Spec, device)), cancellations[0].Token);
            var runs = trials.Select((trial, i) => new TrialRun(trial.Spec, progress[i], cancellations[i].Token, trial.ResumeFrom)).ToList();
            try
            {
                results = trainer.RunTogether(runs, device);
            }
            catch (InvalidDataException) when (runs is [{ ResumeFrom: not null } resumed])
            {
                // An unreadable resume point (corrupt, or another model's) would fail every attempt; from epoch 1 the
                // trial trains to the same result, only later. It failed before training an epoch, so nothing was reported.
                results = trainer.RunTogether([resumed with { ResumeFrom = null }], device);
            }
        }
        catch (OperationCanceledException) when (cancellations[0].IsCancellationRequested)
        {
            results = [.. trials.Select(_ => new TrialResult { Outcome = TrialOutcome.Cancelled, Epochs = [], BestEpoch = 0, Reason = "cancelled while waiting for device memory" })];
        }
        catch (Exception error)
        {
            results = [.. progress.Select(trial => Failed(trial.Epochs, error.Message))];
        }

        lock (running)
        {
            for (var i = 0; i < trials.Count; i++)
            {
                events.Writer.TryWrite(new TrialEnded(trials[i].TrialId, trials[i].Lease, results[i]));
                running.Remove(trials[i].Lease);
            }
            busy--;
        }
        foreach (var cancellation in cancellations)
            cancellation.Dispose();
    }

    private static TrialResult Failed(IReadOnlyList<EpochMetrics> epochs, string reason) => new()
    {
        Outcome = TrialOutcome.Failed,
        Epochs = epochs,
        BestEpoch = epochs.Count == 0 ? 0 : epochs.MaxBy(epoch => epoch.ValidationAccuracy)!.Epoch,
        Reason = reason,
    };
}
