namespace CnnGrid.Training.Slots;

/// <summary>One device's share of a worker.</summary>
/// <param name="Slots">Trials it runs at once (with <paramref name="MemoryBounded"/>, the most it may run).</param>
/// <param name="ThreadsPerSlot">libtorch intra-op threads each slot's trial uses.</param>
/// <param name="MemoryBounded">A GPU whose slots are <c>auto</c>: it takes another trial only while the trials fit its free memory.</param>
/// <param name="TrialsPerSlot">Trials that differ only in dropout a slot trains together (<see cref="Trials.TrialTrainer.RunTogether"/>).</param>
public sealed record DeviceSlotPlan(string Device, int Slots, int ThreadsPerSlot, bool MemoryBounded, int TrialsPerSlot = 1);
