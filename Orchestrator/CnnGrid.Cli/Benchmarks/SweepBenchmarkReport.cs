using System.Globalization;
using CnnGrid.Abstractions.Views;
using CnnGrid.Cli.Terminal;

namespace CnnGrid.Cli.Benchmarks;

/// <param name="SpecJson">The sweep spec; each round submits it under an id of its own.</param>
/// <param name="SpecName">The spec file's name, for the orchestrator's error messages.</param>
internal sealed record SweepBenchmarkOptions(string SpecJson, string SpecName, int Rounds, bool PyTorch)
{
    /// <exception cref="ArgumentException">Names the option out of range.</exception>
    public void Validate()
    {
        if (Rounds < 1)
            throw new ArgumentException($"--rounds must be at least 1; got {Rounds}.");
    }
}

/// <summary>One round: the sweep on the stack, the trainer alone, and (when asked) the sequential PyTorch loop.</summary>
/// <param name="TrainingImages">Images the sweep's trials trained on, every epoch counted.</param>
/// <param name="TrainerImagesPerSecond"><see cref="TrainerBenchmark"/>'s images/s, same model and batch size, every core.</param>
/// <param name="Accuracies">Each trial's final validation accuracy, in plan order.</param>
/// <param name="PyTorchAccuracies">The PyTorch loop's, for the same trials in the same order.</param>
internal sealed record SweepBenchmarkRound(
    double WallSeconds,
    int Trials,
    long TrainingImages,
    double TrainerImagesPerSecond,
    double? PyTorchWallSeconds,
    IReadOnlyList<double> Accuracies,
    IReadOnlyList<double>? PyTorchAccuracies)
{
    /// <summary>The sweep's most accurate configuration (under successive halving, of its last rung).</summary>
    public ConfigAggregate? Best { get; init; }

    public double TrialsPerSecond => Trials / WallSeconds;
    public double ImagesPerSecond => TrainingImages / WallSeconds;

    /// <summary>The sweep's training images/s as a share of the trainer's alone with every core.</summary>
    public double Efficiency => ImagesPerSecond / TrainerImagesPerSecond;

    /// <summary>How many times faster than the sequential PyTorch loop.</summary>
    public double? SpeedupOverPyTorch => PyTorchWallSeconds / WallSeconds;

    /// <summary>Mean validation accuracy of all trials: CnnGrid's, and the PyTorch loop's (other random streams, so close, not equal).</summary>
    public double MeanAccuracy => Accuracies.Average();
    public double? PyTorchMeanAccuracy => PyTorchAccuracies?.Average();
}

internal sealed record SweepBenchmarkReport(SweepBenchmarkOptions Options, IReadOnlyList<SweepBenchmarkRound> Rounds)
{
    public MedianRange WallSeconds => MedianRange.Of(Rounds.Select(round => round.WallSeconds));
    public MedianRange TrialsPerSecond => MedianRange.Of(Rounds.Select(round => round.TrialsPerSecond));
    public MedianRange ImagesPerSecond => MedianRange.Of(Rounds.Select(round => round.ImagesPerSecond));
    public MedianRange TrainerImagesPerSecond => MedianRange.Of(Rounds.Select(round => round.TrainerImagesPerSecond));
    public MedianRange Efficiency => MedianRange.Of(Rounds.Select(round => round.Efficiency));
    public MedianRange? PyTorchWallSeconds => Options.PyTorch ? MedianRange.Of(Rounds.Select(round => round.PyTorchWallSeconds!.Value)) : null;
    public MedianRange? SpeedupOverPyTorch => Options.PyTorch ? MedianRange.Of(Rounds.Select(round => round.SpeedupOverPyTorch!.Value)) : null;

    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var first = Rounds[0];
        var lines = new List<string>
        {
            string.Format(c, "{0} trials, {1:N0} training images a round, {2} alternated round(s) on {3} core(s): medians (ranges)",
                first.Trials, first.TrainingImages, Rounds.Count, Environment.ProcessorCount),
            $"cnngrid sweep   : {WallSeconds.ToString("F1")} s wall, {TrialsPerSecond.ToString("F2")} trials/s, {ImagesPerSecond.ToString("F0")} training images/s",
            $"trainer alone   : {TrainerImagesPerSecond.ToString("F0")} images/s with every core (sweep efficiency {Efficiency.ToString("P0")})",
            string.Format(c, "mean accuracy   : cnngrid {0:P2}", first.MeanAccuracy)
                + (PyTorchWallSeconds is null ? "" : string.Format(c, ", PyTorch loop {0:P2}", first.PyTorchMeanAccuracy)),
        };
        if (first.Best is { } best)
        {
            lines.Add(string.Format(c, "best (round 1)  : {0}: {1:P2} ± {2:P2} over {3} epoch(s)",
                string.Join(", ", best.Params.Select(param => $"{param.Key} {ResultsCsv.Format(param.Value)}")), best.MeanAccuracy, best.StdAccuracy, best.EpochsTrained));
        }
        if (PyTorchWallSeconds is { } pytorch)
        {
            lines.Add($"PyTorch loop    : {pytorch.ToString("F1")} s wall (cnngrid = {SpeedupOverPyTorch!.ToString("F2")}x faster)");
        }
        return string.Join(Environment.NewLine, lines);
    }
}
