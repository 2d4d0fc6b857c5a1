namespace CnnGrid.Training.Slots;

/// <summary>What a trial running in a <see cref="DeviceSlots"/> slot reports: its epochs, then exactly one end.</summary>
/// <param name="TrialId">The scheduler's id of the trial.</param>
/// <param name="Lease">The lease under which the trial was started; identifies this run of the trial.</param>
public abstract record TrialEvent(string TrialId, Guid Lease);
