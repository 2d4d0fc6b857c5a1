using System.Text;

namespace CnnGrid.Cli.Benchmarks;

/// <summary>Every measurement of a dispatch benchmark, summarised per variant as medians with min and max.</summary>
internal sealed record DispatchBenchmarkReport(DispatchBenchmarkOptions Options, IReadOnlyList<DispatchMeasurement> Measurements)
{
    public IReadOnlyList<DispatchVariantSummary> Variants =>
    [
        .. Options.TrialSeconds.Select(seconds =>
        {
            var rounds = Measurements.Where(measurement => measurement.TrialSeconds == seconds).ToList();
            var overheads = rounds.Select(round => round.Overhead).OfType<double>().ToList();
            return new DispatchVariantSummary(
                seconds,
                Options.IdealSeconds(seconds),
                MedianRange.Of(rounds.Select(round => round.WallSeconds)),
                MedianRange.Of(rounds.Select(round => round.TrialsPerSecond)),
                overheads.Count > 0 ? MedianRange.Of(overheads) : null);
        }),
    ];

    public override string ToString()
    {
        var text = new StringBuilder(
            $"dispatch benchmark: {Options.Trials} noop trials × {Options.Epochs} epoch(s) on {Options.Workers} worker(s) × {Options.Slots} slot(s), "
            + $"{Options.Rounds} round(s) per variant: median (min–max)");
        foreach (var variant in Variants)
        {
            text.Append($"\n  trials of {variant.TrialSeconds:0.###} s/epoch: wall {variant.WallSeconds.ToString("F2")} s, {variant.TrialsPerSecond.ToString("F0")} trials/s");
            if (variant.Overhead is { } overhead)
                text.Append($"; ideal {variant.IdealSeconds:F2} s, overhead (wall / ideal − 1) {overhead.ToString("P2")}");
        }
        return text.ToString();
    }
}
