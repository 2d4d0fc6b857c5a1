namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>What happens to one configuration paused at <paramref name="Rung"/> (<see cref="SuccessiveHalving"/>): it goes on to the next rung, or stops there.</summary>
/// <param name="TrialIds">Its paused trials: the ones that move.</param>
/// <param name="Reason">Why it stops; null when promoted.</param>
public sealed record RungMove(string ConfigId, int Rung, bool Promoted, IReadOnlyList<string> TrialIds, string? Reason);
