namespace CnnGrid.Orchestrator.Persistence;

/// <summary>One attempt at a trial handed to a worker, as <see cref="TrialStore.MarkRunningAsync"/> records it.</summary>
/// <param name="Attempt">1 for the first attempt.</param>
/// <param name="LeaseId">Identifies this attempt.</param>
/// <param name="LeaseExpiresAt">When the trial counts as abandoned unless the worker renews the lease.</param>
/// <param name="ResumedFromEpoch">The epoch of the resume point the attempt continues after; null when it starts at epoch 1.</param>
public sealed record TrialStart(string TrialId, string Worker, int Attempt, Guid LeaseId, DateTimeOffset LeaseExpiresAt, int? ResumedFromEpoch = null);
