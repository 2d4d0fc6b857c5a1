using CnnGrid.Abstractions;
using CnnGrid.Training.Trials;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Trials;

/// <summary>
/// One step of each optimizer against PyTorch's update rule, where weight decay is an L2 penalty added to the gradient
/// (torch.optim.SGD and torch.optim.Adam, as the seeds use them), not decoupled decay (AdamW).
/// </summary>
public sealed class TrialOptimizerTests
{
    private static readonly double[] Start = [1.0, -2.0];
    private static readonly double[] Slope = [0.5, 0.5];
    private const double LearningRate = 0.1;
    private const double WeightDecay = 0.01;

    [Fact]
    public void Sgd_weight_decay_is_an_l2_gradient_term()
    {
        var updated = OneStep("sgd");

        for (var i = 0; i < Start.Length; i++)
            Assert.Equal(Start[i] - LearningRate * (Slope[i] + WeightDecay * Start[i]), updated[i], 12);
    }

    [Fact]
    public void Adam_weight_decay_is_an_l2_gradient_term()
    {
        var updated = OneStep("adam");

        // First step: the bias-corrected moments are g and g², so the update is lr · g / (|g| + ε) with g = slope + wd · w.
        for (var i = 0; i < Start.Length; i++)
        {
            var gradient = Slope[i] + WeightDecay * Start[i];
            Assert.Equal(Start[i] - LearningRate * gradient / (Math.Abs(gradient) + 1e-8), updated[i], 12);
        }
    }

    private static double[] OneStep(string optimizer)
    {
        using var scope = NewDisposeScope();
        var weights = new Parameter(tensor(Start, float64));
        using var step = TrialOptimizer.Create(
            new TrialSpec { Optimizer = optimizer, LearningRate = LearningRate, WeightDecay = WeightDecay, Momentum = 0 }, [weights]);
        (weights * tensor(Slope, float64)).sum().backward();
        step.step();
        return weights.detach().data<double>().ToArray();
    }
}
