namespace CnnGrid.Training.Slots;

/// <summary>
/// The device memory that a GPU's <c>auto</c> slots share: a trial reserves its estimate before it trains and waits
/// while it does not fit beside the running ones (a trial alone always starts, so one too large for the device fails
/// with libtorch's out-of-memory error instead of waiting forever). Thread-safe.
/// </summary>
internal sealed class MemoryBudget(long bytes)
{
    // A Monitor (not a Lock): waiting trials sleep on it until a release pulses.
    private readonly object gate = new();
    private long reserved;
    private int holders;
    private long largestTrial;

    /// <summary>More trials it can take now, judged by the largest trial seen so far (one while none has been seen).</summary>
    public int Room
    {
        get
        {
            lock (gate)
            {
                if (largestTrial == 0)
                    return holders == 0 ? 1 : 0;
                return (int)Math.Min(int.MaxValue, Math.Max(0, bytes - reserved) / largestTrial);
            }
        }
    }

    /// <summary>Waits until <paramref name="trialBytes"/> fit, then holds them until the returned reservation is disposed.</summary>
    /// <exception cref="OperationCanceledException">Cancelled while waiting.</exception>
    public IDisposable Reserve(long trialBytes, CancellationToken cancellation)
    {
        lock (gate)
        {
            largestTrial = Math.Max(largestTrial, trialBytes);
            while (holders > 0 && reserved + trialBytes > bytes)
            {
                cancellation.ThrowIfCancellationRequested();
                // Woken by a release; the timeout re-checks cancellation.
                Monitor.Wait(gate, TimeSpan.FromMilliseconds(200));
            }
            reserved += trialBytes;
            holders++;
        }
        return new Reservation(this, trialBytes);
    }

    private void Release(long trialBytes)
    {
        lock (gate)
        {
            reserved -= trialBytes;
            holders--;
            Monitor.PulseAll(gate);
        }
    }

    private sealed class Reservation(MemoryBudget budget, long trialBytes) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
                budget.Release(trialBytes);
        }
    }
}
