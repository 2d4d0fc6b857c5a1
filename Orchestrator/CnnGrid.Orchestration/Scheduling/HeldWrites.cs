namespace CnnGrid.Orchestrator.Scheduling;

/// <summary>
/// The writes about trials of sweeps whose rows are still being stored (<see cref="ITrialSchedulerGrain.EnqueueWhileStoring"/>):
/// held in the order they happened and made once the rows are stored, or dropped with the sweep. Writes about other
/// sweeps are made at once.
/// </summary>
internal sealed class HeldWrites
{
    private readonly Dictionary<string, List<Action>> held = [];

    /// <summary>Starts holding the sweep's writes until <see cref="Release"/> or <see cref="Drop"/>.</summary>
    public void Hold(string sweepId) => held.TryAdd(sweepId, []);

    /// <summary>Whether the sweep's rows are being stored, so that its writes wait.</summary>
    public bool IsHeld(string sweepId) => held.ContainsKey(sweepId);

    /// <summary>Makes <paramref name="write"/> now, or holds it while the sweep's rows are being stored.</summary>
    public void Write(string sweepId, Action write)
    {
        if (held.TryGetValue(sweepId, out var writes))
            writes.Add(write);
        else
            write();
    }

    /// <summary>The sweep's rows are stored: makes its held writes in order. False when none were held for it.</summary>
    public bool Release(string sweepId)
    {
        if (!held.Remove(sweepId, out var writes))
            return false;
        foreach (var write in writes)
            write();
        return true;
    }

    /// <summary>Forgets the sweep's held writes (its rows will not be stored).</summary>
    public void Drop(string sweepId) => held.Remove(sweepId);
}
