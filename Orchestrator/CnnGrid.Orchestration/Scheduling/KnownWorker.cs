using CnnGrid.Abstractions.Scheduling;

namespace CnnGrid.Orchestrator.Scheduling;

/// <summary>A worker as its last exchange described it.</summary>
internal sealed class KnownWorker(WorkerReport report, DateTimeOffset seen)
{
    public WorkerReport LastReport { get; private set; } = report;
    public DateTimeOffset LastSeen { get; private set; } = seen;

    /// <summary>It had free slots the queue could not fill: worth a nudge when trials arrive.</summary>
    public bool Idle { get; set; }

    /// <summary>
    /// The write batch that took the reports of its last exchange that had any. The worker sends those reports again with
    /// its next exchange, which is answered only once they are stored: so an answer lets it forget them safely (reports
    /// to a sweep still being stored wait for it instead, see ReportedToStoring).
    /// </summary>
    public long? ReportedInBatch { get; set; }

    /// <summary>Sweeps still being stored that its reports went to: until they are, its reports are not stored.</summary>
    public HashSet<string> ReportedToStoring { get; } = [];

    /// <summary>The epochs of its last exchange, which its next one repeats: already taken, not written twice.</summary>
    public HashSet<(Guid Lease, int Epoch)> LastEpochs { get; set; } = [];

    public void Update(WorkerReport report, DateTimeOffset seen) => (LastReport, LastSeen) = (report, seen);
}
