using CnnGrid.Abstractions.Catalog.Models;

namespace CnnGrid.Abstractions.Catalog;

/// <summary>
/// The models and datasets a trial can name: the one table that the spec parser, the API's views, the worker's checks
/// and the trainer's model and dataset catalogs all read (a test in CnnGrid.Training checks it against the models built).
/// </summary>
public static class TrainingCatalog
{
    public const string FashionMnist = "fashion-mnist";
    public const string Mnist = "mnist";
    public const string Cifar10 = "cifar10";

    private static readonly ImageShape MnistShape = new(1, 28, 28);

    private static readonly IReadOnlyList<string> DigitClassNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    public static IReadOnlyList<DatasetFacts> Datasets { get; } =
    [
        // torchvision's FashionMNIST.classes
        new(FashionMnist, MnistShape,
            ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
            60_000, RequiresPath: false),
        new(Mnist, MnistShape, DigitClassNames, 60_000, RequiresPath: true),
        // torchvision's CIFAR10.classes
        new(Cifar10, new ImageShape(3, 32, 32),
            ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
            50_000, RequiresPath: true),
    ];

    /// <summary>The models the trainer builds, in the order <c>cnngrid models</c> lists them; <c>noop</c> is not one of them.</summary>
    public static IReadOnlyList<ModelFacts> Models { get; } =
    [
        new("seed000-cnn", "Seed 000: conv 32@3x3 pad 1, ReLU, max pool 2, linear", Seed000Cnn.Layers),
        new("seed000-deep", "Seed 000's deeper variant: 2 x (conv 32@3x3 pad 1, ReLU, max pool 2), fc 128, fc",
            layers => TwoBlockCnn.Layers(layers, kernel: 3, padding: 1, channels1: 32, channels2: 32, hidden: 128)),
        new("seed001-cnn", "Seed 001: conv 32@3x3, max pool 2, conv 64@3x3, max pool 2, fc 128, fc",
            layers => TwoBlockCnn.Layers(layers, kernel: 3, padding: 1, channels1: 32, channels2: 64, hidden: 128)),
        new("seed001-light", "Seed 001's light model: conv 8@3x3, max pool 2, conv 16@3x3, max pool 2, fc 32, fc",
            layers => TwoBlockCnn.Layers(layers, kernel: 3, padding: 1, channels1: 8, channels2: 16, hidden: 32)),
        new("seed003-cnn", "Seed 003's CNN: 2 x (conv Features@5x5, ReLU, max pool 2), fc 50, fc (Features = 6: 6,422 parameters on MNIST)", Seed003Cnn.Layers),
        new("seed004-cnn", "Seed 004: conv 8@3x3 no padding, max pool 2, linear (no activation)", Seed004Cnn.Layers),
        new("lenet5", "LeNet-5 with ReLU and max pooling (seed 003): conv 6@5x5, conv 16@5x5, fc 120, fc 84, fc",
            layers => LeNet5.Layers(layers, classic: false)),
        new("lenet5-classic", "LeNet-5 with sigmoid and average pooling (seed 002): conv 6@5x5, conv 16@5x5, fc 120, fc 84, fc",
            layers => LeNet5.Layers(layers, classic: true)),
        new("mlp", "Seed 003's FC2Layer: 2 hidden layers of Hidden units (default 8: 6,442 parameters on MNIST), ReLU", Mlp.Layers),
        new("vgg-small", "Seed 003's CIFAR VGG at 1/4 width: 10 x conv 3x3 (16..128), 5 max pools, linear; needs 32x32", VggSmall.Layers),
        new("resnet-small", "Seed 002's TrashNet: conv 32 stem, residual blocks 64 (stride 2) and 64, global average pool, linear", ResNetSmall.Layers),
    ];

    /// <summary>The named dataset's facts.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Datasets"/>.</exception>
    public static DatasetFacts Dataset(string name) =>
        Datasets.FirstOrDefault(dataset => dataset.Name == name)
        ?? throw new ArgumentException(
            $"unknown dataset '{name}'; known datasets: {string.Join(", ", Datasets.Select(dataset => dataset.Name))}", nameof(name));

    /// <summary>The named model's facts.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Models"/>.</exception>
    public static ModelFacts Model(string name) =>
        Models.FirstOrDefault(model => model.Name == name)
        ?? throw new ArgumentException(
            $"Unknown model '{name}'. Known models: {string.Join(", ", Models.Select(model => model.Name))}.", nameof(name));
}
