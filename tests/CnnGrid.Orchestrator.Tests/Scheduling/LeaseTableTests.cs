using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Orchestrator.Scheduling;

namespace CnnGrid.Orchestrator.Tests.Scheduling;

public sealed class LeaseTableTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    private static TrialLease Lease(string trialId, string worker, Guid? group = null) =>
        new(Guid.NewGuid(), new QueuedTrial(trialId, "s", new TrialSpec { Model = "seed000-cnn" }, 0), 1, worker, Now.AddSeconds(10), group);

    private static WorkerReport Report(string worker, params Guid[] running) =>
        new(worker, "cpu", 2, 0, running, [], [], 0, null, 2, 1);

    [Fact]
    public void Renewing_extends_the_workers_own_leases_and_stops_cancelled_and_foreign_ones()
    {
        var leases = new LeaseTable();
        var own = Lease("own", "w1");
        var cancelled = Lease("cancelled", "w1");
        cancelled.Cancelled = true;
        var foreign = Lease("foreign", "w2");
        foreach (var lease in new[] { own, cancelled, foreign })
            leases.Add(lease);
        var unknown = Guid.NewGuid();

        var stop = leases.Renew(Report("w1", own.Id, cancelled.Id, foreign.Id, unknown), Now.AddSeconds(60));

        Assert.Equal([cancelled.Id, foreign.Id, unknown], stop);
        Assert.Equal(Now.AddSeconds(60), own.ExpiresAt);
        Assert.Equal(Now.AddSeconds(10), foreign.ExpiresAt);
        Assert.Equal(Now.AddSeconds(60), cancelled.ExpiresAt);
        Assert.Equal([foreign], leases.ExpiredAt(Now.AddSeconds(59)));
    }

    [Fact]
    public void A_report_counts_only_under_its_own_worker_and_trial_and_trials_trained_together_take_one_slot()
    {
        var leases = new LeaseTable();
        var lead = Lease("lead", "w1");
        var partner = Lease("partner", "w1", lead.Id);
        var alone = Lease("alone", "w1");
        foreach (var lease in new[] { lead, partner, alone })
            leases.Add(lease);

        Assert.Same(lead, leases.Held(lead.Id, "lead", "w1"));
        Assert.Null(leases.Held(lead.Id, "lead", "w2"));
        Assert.Null(leases.Held(lead.Id, "partner", "w1"));
        Assert.Equal(2, leases.SlotsTaken("w1"));
        Assert.True(leases.HoldsTrial("partner"));

        leases.Remove(partner);
        Assert.False(leases.HoldsTrial("partner"));
        Assert.Null(leases.Held(partner.Id, "partner", "w1"));
        Assert.Equal(2, leases.Count);
    }
}
