namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>How large a submitted sweep may be.</summary>
/// <param name="MaxTrials">Most trials (configurations × seeds × folds) one sweep may expand to.</param>
/// <param name="MaxBytes">Largest spec body accepted, in UTF-8 bytes.</param>
public sealed record SweepLimits(int MaxTrials = 10_000, int MaxBytes = 65_536)
{
    public static SweepLimits Default { get; } = new();
}
