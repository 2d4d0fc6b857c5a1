using CnnGrid.Abstractions;

namespace CnnGrid.Training.Slots;

/// <summary>A trial given to a slot (<see cref="DeviceSlots.TryStart(IReadOnlyList{SlotTrial})"/>): the lease it reports under and where it resumes.</summary>
public sealed record SlotTrial(string TrialId, Guid Lease, TrialSpec Spec, ResumePoint? ResumeFrom = null);
