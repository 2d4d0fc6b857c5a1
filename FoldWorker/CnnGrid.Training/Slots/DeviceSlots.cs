using System.Threading.Channels;
using CnnGrid.Abstractions;
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
                return memory is null ? slots - running.Count : Math.Min(slots - running.Count, memory.Room);
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
    public bool TryStart(string trialId, Guid lease, TrialSpec spec, ResumePoint? resumeFrom = null)
    {
        lock (running)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (running.ContainsKey(lease))
                throw new ArgumentException($"lease {lease} (trial '{trialId}') is already running", nameof(lease));
            if (running.Count >= slots)
                return false;

            var cancellation = new CancellationTokenSource();
            // The thread's final step takes this lock, so it cannot remove its entry before it is added below.
            var thread = threads.Run(() => Train(trialId, lease, spec, resumeFrom, cancellation));
            running.Add(lease, (cancellation, thread));
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

    private void Train(string trialId, Guid lease, TrialSpec spec, ResumePoint? resumeFrom, CancellationTokenSource cancellation)
    {
        var progress = new SlotProgress(trialId, lease, events.Writer, throughput);
        TrialResult result;
        try
        {
            using var reservation = memory?.Reserve(trainer.MemoryEstimate(spec, device), cancellation.Token);
            result = trainer.Run(spec, device, progress, cancellation.Token, resumeFrom);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            result = new TrialResult { Outcome = TrialOutcome.Cancelled, Epochs = [], BestEpoch = 0, Reason = "cancelled while waiting for device memory" };
        }
        catch (Exception error)
        {
            result = Failed(progress.Epochs, error.Message);
        }

        lock (running)
        {
            events.Writer.TryWrite(new TrialEnded(trialId, lease, result));
            running.Remove(lease);
        }
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
