using System.Text.Json;
using System.Text.RegularExpressions;

namespace CnnGrid.Cli.Tests.Commands;

/// <summary><c>./cnngrid bench trainer</c> trains the model its three ways in alternated rounds and quotes medians with ranges.</summary>
public sealed class BenchTrainerCommandTests
{
    [Fact]
    public async Task Bench_trainer_reports_every_round_and_their_medians()
    {
        var bench = await CnnGridProcess.RunAsync("bench", "trainer", "--model", "seed000-cnn", "--threads", "1",
            "--batch-size", "32", "--images", "64", "--rounds", "3", "--json");

        Assert.True(bench.ExitCode == 0, bench.StandardError);
        using var report = JsonDocument.Parse(bench.StandardOutput);
        var root = report.RootElement;
        var rounds = root.GetProperty("rounds").EnumerateArray().ToList();
        Assert.Equal(3, rounds.Count);
        var trainer = rounds.Select(round => round.GetProperty("trainerImagesPerSecond").GetDouble()).Order().ToList();
        Assert.All(trainer, rate => Assert.True(rate > 0, $"a round trained at {rate} images/s"));
        Assert.Equal(trainer[1], root.GetProperty("trainerImagesPerSecond").GetDouble());
        Assert.False(root.TryGetProperty("speedupOverPyTorch", out _), "no PyTorch rounds were asked for");
    }

    [Fact]
    public async Task Bench_trainer_prints_each_figure_as_its_median_and_range()
    {
        var bench = await CnnGridProcess.RunAsync("bench", "trainer", "--model", "seed000-cnn", "--threads", "1",
            "--batch-size", "32", "--images", "64", "--rounds", "2");

        Assert.True(bench.ExitCode == 0, bench.StandardError);
        var trainer = Regex.Match(bench.StandardOutput, @"cnngrid trainer : (\d+) \((\d+)–(\d+)\) images/s");
        Assert.True(trainer.Success, bench.StandardOutput);
        var (median, min, max) = (int.Parse(trainer.Groups[1].Value), int.Parse(trainer.Groups[2].Value), int.Parse(trainer.Groups[3].Value));
        Assert.InRange(median, min, max);
        Assert.Matches(@"bare TorchSharp : \d+ \(\d+–\d+\) images/s", bench.StandardOutput);
    }

    [Fact]
    public async Task Bench_trainer_rejects_fewer_images_than_one_batch()
    {
        var bench = await CnnGridProcess.RunAsync("bench", "trainer", "--batch-size", "64", "--images", "32");

        Assert.NotEqual(0, bench.ExitCode);
        Assert.Contains("--images", bench.StandardError);
    }
}
