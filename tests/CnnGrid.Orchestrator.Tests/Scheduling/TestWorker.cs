using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;

namespace CnnGrid.Orchestrator.Tests.Scheduling;

/// <summary>The test acting as a worker: tracks the leases it was given and exchanges with the real scheduler grain.</summary>
/// <param name="trialsPerSlot">Trials that differ only in dropout it asks to train together on one slot.</param>
internal sealed class TestWorker(ITrialSchedulerGrain scheduler, string id, int slots, int trialsPerSlot = 1)
{
    private readonly Dictionary<Guid, TrialAssignment> running = [];

    public string Id => id;
    public IReadOnlyCollection<TrialAssignment> Running => running.Values;

    /// <summary>
    /// One exchange reporting <paramref name="epochs"/> and <paramref name="ends"/>; starts what it is given. With
    /// <paramref name="leaving"/>, the last report of a leaving worker, which gives those leases back.
    /// </summary>
    public async Task<WorkerOrders> ExchangeAsync(
        IReadOnlyList<EpochReport>? epochs = null, IReadOnlyList<EndReport>? ends = null, int? freeSlots = null, IReadOnlyList<Guid>? leaving = null)
    {
        foreach (var end in ends ?? [])
            running.Remove(end.Lease);
        var busy = running.Values.Select(trial => trial.Group).Distinct().Count();
        var orders = await scheduler.Exchange(new WorkerReport(id, "cpu", slots, freeSlots ?? slots - busy,
            [.. running.Keys], epochs ?? [], ends ?? [], RecentImagesPerSecond: 0, MetricsUrl: null, Cores: slots, ThreadsPerSlot: 1, trialsPerSlot)
        {
            Leaving = leaving,
        });
        foreach (var assignment in orders.Assignments)
            running.Add(assignment.Lease, assignment);
        return orders;
    }

    /// <summary>Reports every running trial ended with the result <paramref name="result"/> gives it (and its epochs).</summary>
    public Task<WorkerOrders> EndAllAsync(Func<TrialAssignment, TrialResult> result)
    {
        var ended = running.Values.Select(trial => (trial, Result: result(trial))).ToList();
        return ExchangeAsync(
            [.. ended.SelectMany(end => end.Result.Epochs.Select(epoch => new EpochReport(end.trial.Lease, end.trial.TrialId, epoch)))],
            [.. ended.Select(end => new EndReport(end.trial.Lease, end.trial.TrialId, end.Result))]);
    }

    /// <summary>Forgets a lease without reporting it, as a killed worker would.</summary>
    public void Drop(Guid lease) => running.Remove(lease);
}
