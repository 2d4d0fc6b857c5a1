using CnnGrid.Abstractions;
using CnnGrid.Orchestrator.Persistence;
using Microsoft.Extensions.Logging;

namespace CnnGrid.Orchestrator.Scheduling;

/// <summary>
/// The scheduler's trial writes (starts, epochs, ends, requeues), kept in memory and stored in batches, so an exchange
/// never waits on PostgreSQL. A flush that fails (the database restarting) keeps what it could not store and the next
/// flush tries again: nothing is lost, and since every TrialStore write is idempotent, nothing is doubled.
/// Used from one grain activation only (not thread-safe).
/// </summary>
internal sealed class TrialWriteBuffer(TrialStore store, ILogger logger)
{
    // Above this many writes, flush now instead of waiting for the timer (keeps batches and memory bounded).
    private const int LargeWrites = 5_000;

    // Oldest first; only the last one takes new writes.
    private readonly List<TrialWriteBatch> batches = [new(0)];
    private Task<bool>? flushing;
    private bool followUpQueued;

    /// <summary>Writes not stored yet.</summary>
    public int Pending => batches.Sum(batch => batch.Count);

    private DateTimeOffset? slowOrFailedAt;

    /// <summary>
    /// When PostgreSQL was last seen down or stalled: <paramref name="now"/> while a write has waited longer than
    /// <see cref="SlowWrites"/>, else when a flush last failed or stored such a write; null if never.
    /// </summary>
    public DateTimeOffset? BehindAt(DateTimeOffset now) =>
        batches.Any(batch => batch.Count > 0 && now - batch.FirstWriteAt > SlowWrites) ? now : slowOrFailedAt;

    /// <summary>A batch stored later than this after its first write was held up by the database, not by the timer.</summary>
    public static TimeSpan SlowWrites { get; } = TimeSpan.FromSeconds(5);

    /// <summary>The batch new writes go to: a write made now is stored once <see cref="Holds"/> says so no more for this number.</summary>
    public long CurrentBatch => batches[^1].Number;

    /// <summary>Whether writes made up to batch <paramref name="batch"/> are not all stored yet.</summary>
    public bool Holds(long batch) => batches.Any(pending => pending.Number <= batch && pending.Count > 0);

    /// <summary>Whether enough is buffered that waiting for the next timed flush is not worth it.</summary>
    public bool IsLarge => batches.Count > 1 || batches[0].Count >= LargeWrites;

    /// <summary>The trial is queued again with <paramref name="attempts"/> counted; see <see cref="TrialStore.RequeueAsync"/>.</summary>
    public void Requeue(string trialId, int attempts) => Open(trialId, TrialWriteKind.Requeue).Requeue(trialId, attempts);

    public void Start(TrialStart start) => Open(start.TrialId, TrialWriteKind.Start).Start(start);

    public void Epoch(string trialId, EpochMetrics metrics) => Open(trialId, TrialWriteKind.Epoch).Epoch(trialId, metrics);

    /// <summary>The trial ended under <paramref name="leaseId"/> (null: no live lease holds it); see <see cref="TrialStore.CompleteTrialsAsync"/>.</summary>
    public void End(string trialId, Guid? leaseId, TrialResult result) => Open(trialId, TrialWriteKind.End).End(trialId, leaseId, result);

    /// <summary>
    /// Stores everything buffered before the call, oldest batch first; true when all of it is stored. A call while a
    /// flush runs joins that flush.
    /// </summary>
    public Task<bool> FlushAsync() => flushing is { IsCompleted: false } ? flushing : flushing = WriteAsync();

    /// <summary>
    /// Stores what is buffered now without waiting for the timer: at once, or right after the flush that runs (which
    /// leaves writes newer than its start to the next). Writes arriving meanwhile join that follow-up, so under load
    /// flushes run back to back in growing batches and otherwise a write waits about one PostgreSQL round trip.
    /// </summary>
    public void FlushSoon()
    {
        if (flushing is not { IsCompleted: false } running)
            flushing = WriteAsync();
        else if (!followUpQueued)
        {
            followUpQueued = true;
            flushing = FollowAsync(running);
        }
    }

    /// <summary>Waits until the writes made up to batch <paramref name="batch"/> are stored; false when a flush fails.</summary>
    public async Task<bool> StoredAsync(long batch)
    {
        while (Holds(batch))
        {
            if (!await FlushAsync())
                return false;
        }
        return true;
    }

    private async Task<bool> FollowAsync(Task<bool> running)
    {
        await running;
        followUpQueued = false;
        return await WriteAsync();
    }

    private async Task<bool> WriteAsync()
    {
        if (batches[^1].Count > 0)
            batches.Add(new TrialWriteBatch(batches[^1].Number + 1));
        // Writes arriving meanwhile go to the last batch, which this flush leaves for the next.
        while (batches.Count > 1)
        {
            try
            {
                await batches[0].WriteAsync(store);
            }
            catch (Exception error)
            {
                slowOrFailedAt = DateTimeOffset.UtcNow;
                logger.LogWarning(error, "Storing trial writes failed; {Pending} write(s) kept for the next flush", Pending);
                return false;
            }
            if (DateTimeOffset.UtcNow - batches[0].FirstWriteAt > SlowWrites)
                slowOrFailedAt = DateTimeOffset.UtcNow;
            batches.RemoveAt(0);
        }
        return true;
    }

    private TrialWriteBatch Open(string trialId, TrialWriteKind kind)
    {
        if (!batches[^1].Fits(trialId, kind))
            batches.Add(new TrialWriteBatch(batches[^1].Number + 1));
        return batches[^1];
    }
}
