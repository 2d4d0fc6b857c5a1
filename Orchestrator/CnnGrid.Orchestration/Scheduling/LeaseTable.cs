using CnnGrid.Abstractions.Scheduling;

namespace CnnGrid.Orchestrator.Scheduling;

/// <summary>The attempts running on workers, by lease id; a trial holds at most one lease.</summary>
internal sealed class LeaseTable
{
    private readonly Dictionary<Guid, TrialLease> leases = [];
    private readonly HashSet<string> leasedTrials = [];

    public int Count => leases.Count;

    public void Add(TrialLease lease)
    {
        leases.Add(lease.Id, lease);
        leasedTrials.Add(lease.Trial.TrialId);
    }

    public void Remove(TrialLease lease)
    {
        if (leases.Remove(lease.Id))
            leasedTrials.Remove(lease.Trial.TrialId);
    }

    public bool HoldsTrial(string trialId) => leasedTrials.Contains(trialId);

    /// <summary>The lease, if it is still the worker's for that trial; reports under any other come from a given-up attempt.</summary>
    public TrialLease? Held(Guid lease, string trialId, string workerId) =>
        leases.TryGetValue(lease, out var held) && held.Trial.TrialId == trialId && held.WorkerId == workerId ? held : null;

    /// <summary>Pushes the leases the worker still runs to <paramref name="expiresAt"/>; returns those it must stop (cancelled, or not its own any more).</summary>
    public List<Guid> Renew(WorkerReport report, DateTimeOffset expiresAt)
    {
        var stop = new List<Guid>();
        foreach (var running in report.RunningLeases)
        {
            if (leases.TryGetValue(running, out var lease) && lease.WorkerId == report.WorkerId)
            {
                lease.ExpiresAt = expiresAt;
                if (lease.Cancelled)
                    stop.Add(running);
            }
            else
            {
                stop.Add(running);
            }
        }
        return stop;
    }

    public List<TrialLease> OfSweep(string sweepId) => [.. leases.Values.Where(lease => lease.Trial.SweepId == sweepId)];

    public IEnumerable<TrialLease> OfWorker(string workerId) => leases.Values.Where(lease => lease.WorkerId == workerId);

    /// <summary>Slots the worker's leases take: trials trained together take one.</summary>
    public int SlotsTaken(string workerId) => OfWorker(workerId).Select(lease => lease.Group).Distinct().Count();

    public List<TrialLease> ExpiredAt(DateTimeOffset now) => [.. leases.Values.Where(lease => lease.ExpiresAt <= now)];
}
