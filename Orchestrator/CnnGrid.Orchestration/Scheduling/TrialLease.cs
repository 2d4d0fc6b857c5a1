using CnnGrid.Abstractions.Scheduling;

namespace CnnGrid.Orchestrator.Scheduling;

/// <summary>One attempt at a trial, held by the worker it was handed to until the attempt ends or the lease expires.</summary>
internal sealed class TrialLease(Guid id, QueuedTrial trial, int attempt, string workerId, DateTimeOffset expiresAt, Guid? group = null)
{
    public Guid Id { get; } = id;

    /// <summary>The trials a worker trains together on one slot share this (the first one's lease); alone, its own id.</summary>
    public Guid Group { get; } = group ?? id;
    public QueuedTrial Trial { get; } = trial;

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; } = attempt;

    public string WorkerId { get; } = workerId;

    /// <summary>Pushed forward each time the worker reports the lease as running.</summary>
    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

    /// <summary>The sweep was cancelled: the worker is told to stop, and however the attempt ends is final.</summary>
    public bool Cancelled { get; set; }
}
