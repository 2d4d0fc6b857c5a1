using System.Text.Json;

namespace CnnGrid.Cli.Tests.Commands;

public sealed class ModelsCommandTests
{
    [Fact]
    public async Task Lists_models_with_parameter_counts_for_the_dataset()
    {
        var run = await CnnGridProcess.RunAsync("models", "--json");

        Assert.Equal(0, run.ExitCode);
        var models = JsonDocument.Parse(run.StandardOutput).RootElement.EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m);
        Assert.Equal(6442, models["mlp"].GetProperty("parameters").GetInt64());
        Assert.Equal(6422, models["seed003-cnn"].GetProperty("parameters").GetInt64());
        Assert.Equal("1x28x28", models["lenet5"].GetProperty("input").GetString());
        Assert.DoesNotContain("vgg-small", models.Keys); // needs 32x32 images
    }
}
