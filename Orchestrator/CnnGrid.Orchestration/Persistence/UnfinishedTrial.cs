using CnnGrid.Abstractions.Views;

namespace CnnGrid.Orchestrator.Persistence;

/// <summary>A queued or running trial as the scheduler reloads it: with the lease id its worker reports under, which no view carries.</summary>
public sealed record UnfinishedTrial(TrialRecord Trial, Guid? LeaseId);
