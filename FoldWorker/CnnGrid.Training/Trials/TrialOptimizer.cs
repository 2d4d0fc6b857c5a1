using CnnGrid.Abstractions;
using TorchSharp;
using TorchSharp.Modules;

namespace CnnGrid.Training.Trials;

/// <summary>Builds the optimizer a trial asks for; L2 regularization is the optimizer's weight decay.</summary>
public static class TrialOptimizer
{
    public static OptimizerHelper Create(TrialSpec spec, IEnumerable<Parameter> parameters) =>
        spec.Optimizer switch
        {
            "sgd" => torch.optim.SGD(parameters, spec.LearningRate, momentum: spec.Momentum, weight_decay: spec.WeightDecay),
            "adam" => torch.optim.Adam(parameters, spec.LearningRate, weight_decay: spec.WeightDecay),
            _ => throw new ArgumentException($"Unknown optimizer '{spec.Optimizer}': use {string.Join(" or ", TrialParameters.Optimizers)}."),
        };
}
