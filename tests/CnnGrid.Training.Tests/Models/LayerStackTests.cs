using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Models;

public sealed class LayerStackTests
{
    [Theory]
    [InlineData(2, null, 0)] // PairMaxPool
    [InlineData(3, 1, 1)] // libtorch's MaxPool2d, overlapping windows
    public void PoolingRightAfterAReluGivesTheWrittenOrdersValuesAndGradients(int kernel, int? stride, int padding)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3, CPU);
        var options = new ModelOptions(new ImageShape(1, 9, 9), 4) { Random = generator };
        var stack = new LayerStack(options);
        stack.Conv(6, 3, padding: 1).ReLU().MaxPool(kernel, stride, padding);
        var stacked = stack.Build();
        var conv = nn.Conv2d(1, 6, 3, padding: 1);
        using (no_grad())
        {
            var stackedConv = (TorchSharp.Modules.Conv2d)stacked.children().First();
            conv.weight!.copy_(stackedConv.weight!);
            conv.bias!.copy_(stackedConv.bias!);
        }
        // Integers give many ties and many negative maps, the cases where an order could matter.
        var input = randint(-2, 3, [5, 1, 9, 9], generator: generator).to(float32);

        var output = stacked.forward(input);
        var reference = nn.functional.max_pool2d(nn.functional.relu(conv.forward(input)), kernel, stride ?? kernel, padding);
        var outputGradient = randn(reference.shape, generator: generator);
        output.backward([outputGradient]);
        reference.backward([outputGradient]);

        Assert.Equal(["conv0", "pool1", "relu2"], stacked.named_children().Select(child => child.name));
        Assert.True(output.eq(reference).all().ToBoolean(), "values differ");
        var stackedParameters = stacked.parameters().ToList();
        Assert.True(stackedParameters[0].grad!.eq(conv.weight!.grad!).all().ToBoolean(), "weight gradients differ");
        Assert.True(stackedParameters[1].grad!.eq(conv.bias!.grad!).all().ToBoolean(), "bias gradients differ");
    }
}
