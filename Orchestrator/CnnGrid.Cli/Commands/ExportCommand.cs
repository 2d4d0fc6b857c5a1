using System.CommandLine;
using CnnGrid.Abstractions.Export;
using CnnGrid.Cli.Terminal;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid export ID --out FILE [--format pytorch|torchsharp]</c>: writes the weights of the sweep's refit.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var home = StackOptions.Home();
        var id = new Argument<string>("id") { Description = "Sweep id" };
        var output = new Option<string>("--out") { Description = "File to write the weights to", Required = true };
        var format = new Option<string>("--format")
        {
            Description = $"{string.Join(" or ", WeightsFormats.Names)}: a torch.save state dict keyed as the PyTorch twins, or TorchSharp's Module.save bytes",
            DefaultValueFactory = _ => WeightsFormats.Name(WeightsFormat.PyTorch),
        };
        var command = new Command("export", "Write the weights of a sweep's refit (its best configuration retrained on every training image)") { id, output, format, home };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var name = result.GetValue(format);
            var weightsFormat = WeightsFormats.Parse(name)
                ?? throw new ArgumentException($"--format must be one of {string.Join(", ", WeightsFormats.Names)}, got '{name}'");
            var path = result.GetValue(output)!;
            // Checked before the download, so a mistyped path fails at once; a file there is replaced.
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder && !Directory.Exists(folder))
                throw new IOException($"cannot write '{path}': there is no folder '{folder}'");
            using var client = StackHome.Resolve(result.GetValue(home)).Client();
            var weights = await client.GetRefitWeightsAsync(result.GetValue(id)!, weightsFormat, cancellationToken);
            try
            {
                await File.WriteAllBytesAsync(path, weights, cancellationToken);
            }
            catch (UnauthorizedAccessException error)
            {
                throw new IOException($"cannot write '{path}': {error.Message}", error);
            }
            Console.WriteLine($"wrote {weights.Length:N0} bytes of {Path.GetFileName(path)} ({WeightsFormats.Name(weightsFormat)})");
            return 0;
        }));
        return command;
    }
}
