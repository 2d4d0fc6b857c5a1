namespace CnnGrid.Abstractions.Export;

/// <summary>
/// How exported weights are written. The converter lives in the contracts, not beside TorchSharp, so the orchestrator's
/// API and the CLI both convert stored checkpoints without loading libtorch.
/// </summary>
public enum WeightsFormat
{
    /// <summary>PyTorch's <c>torch.save</c> zip of a state dict, keyed as the PyTorch twins of the catalog models.</summary>
    PyTorch,

    /// <summary>TorchSharp's <c>Module.save</c> bytes, as stored: <c>Module.load</c> reads them into the catalog model.</summary>
    TorchSharp,
}

public static class WeightsFormats
{
    /// <summary>The names the API's <c>format</c> parameter and the CLI's <c>--format</c> take: the formats' own, in lower case.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<WeightsFormat>().Select(Name)];

    public static string Name(WeightsFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>The format <paramref name="name"/> names (case-insensitive); null for an unknown name.</summary>
    public static WeightsFormat? Parse(string? name) =>
        Enum.GetValues<WeightsFormat>().Cast<WeightsFormat?>().FirstOrDefault(format => string.Equals(Name(format!.Value), name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The file name extension of weights in <paramref name="format"/>: PyTorch's customary <c>pt</c>, TorchSharp's <c>bin</c>.</summary>
    public static string FileExtension(WeightsFormat format) => format == WeightsFormat.PyTorch ? "pt" : "bin";

    /// <summary>The checkpoint's bytes in <paramref name="format"/>.</summary>
    /// <exception cref="InvalidDataException">The checkpoint is not a TorchSharp state dict.</exception>
    public static byte[] Convert(byte[] torchSharpCheckpoint, WeightsFormat format) => format switch
    {
        WeightsFormat.TorchSharp => torchSharpCheckpoint,
        _ => PyTorchCheckpoint.Write([.. TorchSharpStateDict.Read(torchSharpCheckpoint)
            .Select(tensor => tensor with { Name = TorchSharpStateDict.PyTorchName(tensor.Name) })]),
    };
}
