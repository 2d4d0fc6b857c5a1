namespace CnnGrid.Abstractions.Scheduling;

/// <summary>One attempt at one trial, handed to a worker slot.</summary>
/// <param name="Attempt">1 for the first attempt; a re-queued trial gets the next number.</param>
/// <param name="Lease">Identifies this attempt: reports carrying another attempt's lease are ignored.</param>
/// <param name="ResumeFrom">Where an earlier attempt stopped: the worker continues after that epoch. Null to start at epoch 1.</param>
[GenerateSerializer, Immutable]
public sealed record TrialAssignment(string TrialId, string SweepId, TrialSpec Spec, int Attempt, Guid Lease, ResumePoint? ResumeFrom = null);
