using System.Text.Json;
using CnnGrid.Training.Folds;

namespace CnnGrid.Cli.Tests.Commands;

public sealed class FoldsCommandTests
{
    [Theory]
    [InlineData(10, 3, false)]
    [InlineData(23, 5, true)]
    public async Task Prints_the_validation_indices_of_every_fold(int n, int k, bool shuffle)
    {
        var arguments = new List<string> { "folds", "--n", $"{n}", "--k", $"{k}" };
        if (shuffle) arguments.AddRange(["--shuffle", "--seed", "42"]);
        var run = await CnnGridProcess.RunAsync([.. arguments]);

        Assert.Equal(0, run.ExitCode);
        var folds = JsonDocument.Parse(run.StandardOutput).RootElement.GetProperty("folds")
            .EnumerateArray().Select(f => f.EnumerateArray().Select(i => i.GetInt32()).ToArray()).ToArray();
        Assert.Equal(FoldSplitter.ValidationFolds(n, k, shuffle, 42), folds);
    }

    [Fact]
    public async Task Stratifies_by_a_labels_file()
    {
        var labels = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(labels, "[0, 0, 0, 1, 1, 1, 0, 1]");
            var run = await CnnGridProcess.RunAsync("folds", "--n", "8", "--k", "2", "--stratify-labels", labels);

            Assert.Equal(0, run.ExitCode);
            Assert.Equal("""{"folds":[[0,1,3,4],[2,5,6,7]]}""", run.StandardOutput.Trim());
        }
        finally
        {
            File.Delete(labels);
        }
    }

    [Fact]
    public async Task Bad_input_gets_one_clear_error_line_and_exit_code_2()
    {
        var run = await CnnGridProcess.RunAsync("folds", "--n", "3", "--k", "5");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.StandardError.Trim().Split('\n')[^1]);
        Assert.DoesNotContain("   at ", run.StandardError);
    }
}
