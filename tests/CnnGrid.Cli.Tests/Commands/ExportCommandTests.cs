namespace CnnGrid.Cli.Tests.Commands;

/// <summary><c>cnngrid export</c>'s own checks, made before it asks the orchestrator (the stack tests ask it).</summary>
public sealed class ExportCommandTests
{
    [Fact]
    public async Task An_unknown_format_is_bad_input_naming_the_formats()
    {
        var run = await CnnGridProcess.RunAsync("export", "some-sweep", "--out", Path.Combine(Path.GetTempPath(), "w.onnx"), "--format", "onnx");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--format must be one of pytorch, torchsharp, got 'onnx'", run.StandardError);
    }

    [Fact]
    public async Task An_output_in_a_missing_folder_is_bad_input_before_any_download()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"cnngrid-no-such-{Guid.NewGuid():N}");
        var run = await CnnGridProcess.RunAsync("export", "some-sweep", "--out", Path.Combine(folder, "w.pt"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"there is no folder '{folder}'", run.StandardError);
    }
}
