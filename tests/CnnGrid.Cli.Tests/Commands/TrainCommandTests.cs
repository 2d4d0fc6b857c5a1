using System.Text.Json;

namespace CnnGrid.Cli.Tests.Commands;

public sealed class TrainCommandTests
{
    [Fact]
    public async Task Json_mode_prints_one_object_per_epoch_and_a_final_result()
    {
        var run = await CnnGridProcess.RunAsync("train", "--model", "seed004-cnn", "--limit", "600", "--folds", "3", "--fold", "1",
            "--epochs", "2", "--json");

        Assert.Equal(0, run.ExitCode);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(["epoch", "epoch", "result"], lines.Select(l => l.GetProperty("type").GetString()));
        Assert.Equal(2, lines[1].GetProperty("epoch").GetInt32());
        Assert.Equal(10, lines[1].GetProperty("perClassAccuracy").GetArrayLength());
        Assert.Equal("completed", lines[2].GetProperty("outcome").GetString());
        Assert.False(lines[2].TryGetProperty("bestCheckpoint", out _));
    }

    [Fact]
    public async Task A_diverging_run_reports_diverged_and_exits_non_zero()
    {
        var run = await CnnGridProcess.RunAsync("train", "--model", "lenet5", "--limit", "600", "--optimizer", "sgd", "--lr", "1000");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("outcome: diverged", run.StandardOutput);
    }

    [Theory]
    [InlineData("--model", "no-such-model", "no-such-model")]
    [InlineData("--dataset", "mnist", "needs a path")]
    [InlineData("--device", "cuda:0", "CUDA")]
    [InlineData("--dropout", "1.5", "dropout")]
    public async Task Bad_input_names_the_problem(string option, string value, string expected)
    {
        var run = await CnnGridProcess.RunAsync("train", "--limit", "200", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.StandardError);
        Assert.DoesNotContain("   at ", run.StandardError);
    }
}
