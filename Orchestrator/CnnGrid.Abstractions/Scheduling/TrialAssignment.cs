namespace CnnGrid.Abstractions.Scheduling;

/// <summary>One attempt at one trial, handed to a worker slot.</summary>
/// <param name="Attempt">1 for the first attempt; a re-queued trial gets the next number.</param>
/// <param name="Lease">Identifies this attempt: reports carrying another attempt's lease are ignored.</param>
/// <param name="ResumeAfterEpoch">
/// The epoch of the stored resume point an earlier attempt left (a reference: the worker reads the point from
/// PostgreSQL) and continues after; null to start at epoch 1.
/// </param>
/// <param name="Group">
/// Assignments of one exchange with the same group train together on one slot (<see cref="TrialSpec.FusesWith"/>;
/// see <see cref="WorkerReport.TrialsPerSlot"/>); <see cref="Guid.Empty"/> or a group of its own: alone.
/// </param>
[GenerateSerializer, Immutable]
public sealed record TrialAssignment(string TrialId, string SweepId, TrialSpec Spec, int Attempt, Guid Lease, int? ResumeAfterEpoch = null, Guid Group = default);
