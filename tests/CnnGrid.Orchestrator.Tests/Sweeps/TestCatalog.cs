using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

/// <summary>The models and datasets the host offers, as the sweep parser sees them.</summary>
internal static class TestCatalog
{
    public static IReadOnlyList<string> ModelNames { get; } =
    [
        "seed000-cnn", "seed000-deep", "seed001-cnn", "seed001-light", "seed004-cnn",
        "lenet5", "lenet5-classic", "mlp", "seed003-cnn", "vgg-small", "resnet-small",
    ];

    public static SweepCatalog Default { get; } = new(
        new HashSet<string>(ModelNames),
        new Dictionary<string, CatalogDataset>
        {
            ["fashion-mnist"] = new(60_000, 1, RequiresPath: false),
            ["mnist"] = new(60_000, 1, RequiresPath: true),
            ["cifar10"] = new(50_000, 3, RequiresPath: true),
        });
}
