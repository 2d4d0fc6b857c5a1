using CnnGrid.Abstractions.Scheduling;

namespace CnnGrid.Orchestrator.Scheduling;

/// <summary>The trials waiting for a slot: sweep submission order, then plan order; retried attempts go to the front.</summary>
internal sealed class TrialQueue
{
    private readonly LinkedList<QueuedTrial> queue = [];
    private readonly HashSet<string> queued = [];

    public int Count => queue.Count;

    public bool Contains(string trialId) => queued.Contains(trialId);

    public void AddLast(QueuedTrial trial)
    {
        queued.Add(trial.TrialId);
        queue.AddLast(trial);
    }

    public void AddFirst(QueuedTrial trial)
    {
        queued.Add(trial.TrialId);
        queue.AddFirst(trial);
    }

    /// <summary>Puts <paramref name="trials"/> back at the front, in their order.</summary>
    public void PutBack(IReadOnlyList<QueuedTrial> trials)
    {
        for (var i = trials.Count - 1; i >= 0; i--)
            AddFirst(trials[i]);
    }

    public QueuedTrial? TakeFirst()
    {
        if (queue.First is not { } first)
            return null;
        queue.RemoveFirst();
        queued.Remove(first.Value.TrialId);
        return first.Value;
    }

    /// <summary>Takes up to <paramref name="count"/> first attempts that train together with <paramref name="trial"/>, in queue order.</summary>
    public List<QueuedTrial> TakeFusing(QueuedTrial trial, int count) =>
        Take(queued => queued.Attempts == 0 && queued.Spec.FusesWith(trial.Spec), count);

    /// <summary>Takes the sweep's trials.</summary>
    public List<QueuedTrial> TakeSweep(string sweepId) => Take(queued => queued.SweepId == sweepId, int.MaxValue);

    private List<QueuedTrial> Take(Func<QueuedTrial, bool> wanted, int count)
    {
        var taken = new List<QueuedTrial>();
        for (var node = queue.First; node is not null && taken.Count < count;)
        {
            var next = node.Next;
            if (wanted(node.Value))
            {
                queue.Remove(node);
                queued.Remove(node.Value.TrialId);
                taken.Add(node.Value);
            }
            node = next;
        }
        return taken;
    }
}
