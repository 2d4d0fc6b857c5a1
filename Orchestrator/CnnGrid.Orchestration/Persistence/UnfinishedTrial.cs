using CnnGrid.Abstractions.Views;

namespace CnnGrid.Orchestrator.Persistence;

/// <summary>
/// A queued or running trial as the scheduler reloads it: with the lease id its worker reports under, which no view
/// carries, and whether a resume point of an earlier attempt is stored for it.
/// </summary>
public sealed record UnfinishedTrial(TrialRecord Trial, Guid? LeaseId, bool HasResumePoint);
