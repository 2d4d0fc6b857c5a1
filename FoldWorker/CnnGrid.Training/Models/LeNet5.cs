namespace CnnGrid.Training.Models;

/// <summary>
/// LeNet-5: conv 6@5×5, pool, conv 16@5×5, pool, fc 120, fc 84, classifier. Seed 003's version uses ReLU and max
/// pooling; the classic one (seed 002) sigmoid and average pooling. LeNet-5 was drawn for 32×32 inputs, so smaller
/// ones (MNIST's 28×28) get padding 2 on the first conv, as both seeds do.
/// </summary>
internal sealed class LeNet5(ModelOptions options, bool classic)
    : SequentialModel(classic ? "lenet5-classic" : "lenet5", Layers(options, classic))
{
    private static LayerStack Layers(ModelOptions options, bool classic)
    {
        var padding = options.Input.Height < 32 || options.Input.Width < 32 ? 2 : 0;
        Func<LayerStack, LayerStack> activate = classic ? layers => layers.Sigmoid() : layers => layers.ReLU();
        Func<LayerStack, LayerStack> pool = classic ? layers => layers.AvgPool(2) : layers => layers.MaxPool(2);
        return new LayerStack(options)
            .Conv(6, 5, padding).Norm().Then(activate).Then(pool)
            .Conv(16, 5).Norm().Then(activate).Then(pool)
            .Flatten().Dense(120).Norm().Then(activate)
            .Dense(84).Norm().Then(activate)
            .Dropout()
            .Classifier();
    }
}
