namespace CnnGrid.Cli.Benchmarks;

/// <param name="Clients">Concurrent HTTP clients, each submitting its share of the sweeps one after another.</param>
/// <param name="Sweeps">Sweeps submitted in all, each of <see cref="TrialsPerSweep"/> noop trials.</param>
/// <param name="Rounds">Loads run one after another on the same stack.</param>
internal sealed record LoadBenchmarkOptions(int Clients, int Sweeps, int Trials, int Workers, int Slots, int Rounds)
{
    /// <summary>The spec cap (SweepLimits.MaxTrials).</summary>
    private const int MaxTrialsPerSweep = 10_000;

    public int TrialsPerSweep => Trials / Sweeps;

    /// <exception cref="ArgumentException">Names the first option out of range.</exception>
    public void Validate()
    {
        if (Clients < 1 || Sweeps < Clients)
            throw new ArgumentException($"--clients must be positive and at most --sweeps; got {Clients} client(s) for {Sweeps} sweep(s).");
        if (Trials < 1 || Trials % (Sweeps * NoopSweeps.Folds) != 0 || TrialsPerSweep > MaxTrialsPerSweep)
            throw new ArgumentException($"--trials must spread evenly over the sweeps in whole seeds of {NoopSweeps.Folds} folds, at most "
                + $"{MaxTrialsPerSweep} per sweep: a positive multiple of {Sweeps} × {NoopSweeps.Folds}; got {Trials}.");
        if (Workers < 1 || Slots < 1 || Rounds < 1)
            throw new ArgumentException("--workers, --slots and --rounds must be positive.");
    }
}
