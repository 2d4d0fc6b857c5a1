using CnnGrid.Abstractions;
using CnnGrid.Training.Trials;

namespace CnnGrid.Cli.Benchmarks;

/// <param name="TrialSeconds">The variants measured: how long each noop epoch takes; 0 is the orchestrator alone.</param>
/// <param name="Rounds">Each variant is measured this many times, the variants alternating.</param>
internal sealed record DispatchBenchmarkOptions(int Trials, int Workers, int Slots, IReadOnlyList<double> TrialSeconds, int Epochs, int Rounds)
{
    public int TotalSlots => Workers * Slots;

    /// <summary>
    /// The perfect schedule's length: every slot busy from the first instant, so ceil(trials / slots) waves of
    /// trials that each last <paramref name="trialSeconds"/> × epochs, and nothing else.
    /// </summary>
    public double IdealSeconds(double trialSeconds) => Math.Ceiling((double)Trials / TotalSlots) * trialSeconds * Epochs;

    /// <exception cref="ArgumentException">Names the first option out of range.</exception>
    public void Validate()
    {
        if (Trials < NoopSweeps.Folds || Trials % NoopSweeps.Folds != 0)
            throw new ArgumentException($"--trials must be a positive multiple of {NoopSweeps.Folds}; got {Trials}.");
        if (Workers < 1 || Slots < 1 || Epochs < 1 || Rounds < 1)
            throw new ArgumentException("--workers, --slots, --epochs and --rounds must be positive.");
        if (TrialSeconds.Count == 0 || TrialSeconds.Any(seconds => !(seconds is >= 0 and <= TrialSpec.MaxNoopSeconds)))
            throw new ArgumentException($"--trial-seconds must be in [0, {TrialSpec.MaxNoopSeconds}]; got {string.Join(", ", TrialSeconds)}.");
    }
}
