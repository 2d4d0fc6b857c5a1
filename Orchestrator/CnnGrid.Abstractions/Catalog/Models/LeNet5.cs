namespace CnnGrid.Abstractions.Catalog.Models;

/// <summary>
/// LeNet-5: conv 6@5×5, pool, conv 16@5×5, pool, fc 120, fc 84, classifier. Seed 003's version uses ReLU and max
/// pooling; the classic one (seed 002) sigmoid and average pooling. LeNet-5 was drawn for 32×32 inputs, so smaller
/// ones (MNIST's 28×28) get padding 2 on the first conv, as both seeds do.
/// </summary>
internal static class LeNet5
{
    public static void Layers(ILayerPlan layers, bool classic)
    {
        var padding = layers.Input.Height < 32 || layers.Input.Width < 32 ? 2 : 0;
        ILayerPlan Activate(ILayerPlan plan) => classic ? plan.Sigmoid() : plan.ReLU();
        ILayerPlan Pool(ILayerPlan plan) => classic ? plan.AvgPool(2) : plan.MaxPool(2);
        var stack = Pool(Activate(layers.Conv(6, 5, padding).Norm()));
        stack = Pool(Activate(stack.Conv(16, 5).Norm()));
        stack = Activate(stack.Flatten().Dense(120).Norm());
        Activate(stack.Dense(84).Norm())
            .Dropout()
            .Classifier();
    }
}
