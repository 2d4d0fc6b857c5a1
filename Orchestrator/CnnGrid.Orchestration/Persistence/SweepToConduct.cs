namespace CnnGrid.Orchestrator.Persistence;

/// <summary>A running sweep with a trial paused at a rung or a refit waiting (<see cref="TrialStore.SweepsToConductAsync"/>).</summary>
/// <param name="Alpha">The spec's <c>alpha</c>, null where it gives none.</param>
/// <param name="Rope">The spec's <c>rope</c>, null where it gives none.</param>
/// <param name="Paused">Its trials paused at a rung.</param>
/// <param name="Ended">Its trials that have ended, however they ended.</param>
/// <param name="Unfinished">Its trials, the refit aside, still queued, running or paused.</param>
public sealed record SweepToConduct(string SweepId, string SpecJson, double? Alpha, double? Rope, int Paused, int Ended, int Unfinished)
{
    /// <summary>
    /// Nothing to decide while no trial is paused and some still train: halving decides on paused trials only, and
    /// the refit waits for every other trial.
    /// </summary>
    public bool Undecidable => Paused == 0 && Unfinished > 0;
}
