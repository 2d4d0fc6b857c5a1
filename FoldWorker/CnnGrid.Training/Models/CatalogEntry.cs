using static TorchSharp.torch;

namespace CnnGrid.Training.Models;

/// <summary>One model of <see cref="ModelCatalog"/>: its stable name, a one-line summary and how to build it.</summary>
internal sealed record CatalogEntry(string Name, string Summary, Func<ModelOptions, nn.Module<Tensor, Tensor>> Build);
