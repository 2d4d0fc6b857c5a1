using CnnGrid.Abstractions;
using CnnGrid.Orchestrator.Persistence;

namespace CnnGrid.Orchestrator.Scheduling;

/// <summary>
/// Trial writes applied kind by kind (<see cref="TrialWriteKind"/> order), one TrialStore call per kind. A write that
/// must follow a later-kind write of the same trial (a retry after its end, a restart after its requeue) does not fit
/// and goes to the next batch, so every trial's writes reach PostgreSQL in the order they happened.
/// </summary>
internal sealed class TrialWriteBatch(long number)
{
    /// <summary>Batches are numbered in the order they were opened.</summary>
    public long Number => number;

    private readonly Dictionary<string, TrialWriteKind> latestKind = [];
    private readonly List<(string TrialId, int Attempts)> requeues = [];
    private readonly List<TrialStart> starts = [];
    private readonly List<(string TrialId, EpochMetrics Metrics)> epochs = [];
    private readonly List<(string TrialId, Guid? LeaseId, TrialResult Result)> ends = [];

    /// <summary>When its first write was made; null while it holds none.</summary>
    public DateTimeOffset? FirstWriteAt { get; private set; }

    /// <summary>Writes not yet stored.</summary>
    public int Count => requeues.Count + starts.Count + epochs.Count + ends.Count;

    /// <summary>Whether a write of <paramref name="kind"/> for the trial can join this batch without overtaking its earlier writes.</summary>
    public bool Fits(string trialId, TrialWriteKind kind) =>
        !latestKind.TryGetValue(trialId, out var latest) || kind > latest || (kind == latest && kind == TrialWriteKind.Epoch);

    public void Requeue(string trialId, int attempts) => Add(trialId, TrialWriteKind.Requeue, requeues, (trialId, attempts));

    public void Start(TrialStart start) => Add(start.TrialId, TrialWriteKind.Start, starts, start);

    public void Epoch(string trialId, EpochMetrics metrics) => Add(trialId, TrialWriteKind.Epoch, epochs, (trialId, metrics));

    public void End(string trialId, Guid? leaseId, TrialResult result) => Add(trialId, TrialWriteKind.End, ends, (trialId, leaseId, result));

    /// <summary>Stores the batch. A kind stored is cleared, so after a failure only the rest is written again (each store write is idempotent anyway).</summary>
    public async Task WriteAsync(TrialStore store)
    {
        await StoreAsync(requeues, store.RequeueAsync);
        await StoreAsync(starts, store.MarkRunningAsync);
        await StoreAsync(epochs, store.SaveEpochsAsync);
        await StoreAsync(ends, store.CompleteTrialsAsync);
    }

    private static async Task StoreAsync<T>(List<T> writes, Func<IReadOnlyList<T>, CancellationToken, Task> store)
    {
        if (writes.Count == 0)
            return;
        await store(writes, CancellationToken.None);
        writes.Clear();
    }

    private void Add<T>(string trialId, TrialWriteKind kind, List<T> writes, T write)
    {
        if (!Fits(trialId, kind))
            throw new InvalidOperationException($"A {kind} write of trial {trialId} would overtake its earlier writes in this batch.");
        latestKind[trialId] = kind;
        FirstWriteAt ??= DateTimeOffset.UtcNow;
        writes.Add(write);
    }
}
