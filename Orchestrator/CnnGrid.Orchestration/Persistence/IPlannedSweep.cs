namespace CnnGrid.Orchestrator.Persistence;

/// <summary>A sweep as <see cref="TrialStore.InsertSweepAsync"/> stores it: its id, its name and its trials in plan order.</summary>
public interface IPlannedSweep
{
    string Id { get; }
    string Name { get; }
    IReadOnlyList<PlannedTrial> Trials { get; }
}
