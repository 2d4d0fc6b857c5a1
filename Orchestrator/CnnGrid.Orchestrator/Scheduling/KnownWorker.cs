using CnnGrid.Abstractions.Scheduling;

namespace CnnGrid.Orchestrator.Scheduling;

/// <summary>A worker as its last exchange described it.</summary>
internal sealed class KnownWorker(WorkerReport report, DateTimeOffset seen)
{
    public WorkerReport LastReport { get; private set; } = report;
    public DateTimeOffset LastSeen { get; private set; } = seen;

    /// <summary>It had free slots the queue could not fill: worth a nudge when trials arrive.</summary>
    public bool Idle { get; set; }

    public void Update(WorkerReport report, DateTimeOffset seen) => (LastReport, LastSeen) = (report, seen);
}
