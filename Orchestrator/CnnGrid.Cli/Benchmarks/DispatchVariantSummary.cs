namespace CnnGrid.Cli.Benchmarks;

/// <summary>One variant's rounds: trials of <see cref="TrialSeconds"/> per epoch against their perfect schedule.</summary>
/// <param name="Overhead">wall / ideal − 1 over the rounds; null for trials that take no time (no ideal to compare with).</param>
internal sealed record DispatchVariantSummary(
    double TrialSeconds, double IdealSeconds, MedianRange WallSeconds, MedianRange TrialsPerSecond, MedianRange? Overhead);
