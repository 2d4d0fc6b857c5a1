using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Trials;

/// <summary>
/// What one trial keeps on its device while it trains, estimated before it starts, so that a GPU whose slots are
/// <c>auto</c> runs as many trials as fit its free memory. float32 throughout: the weights, their gradients and the
/// optimizer's state per parameter; every layer's output for a batch, twice (kept for backward, and its gradient); and
/// the trial's own copy of its fold's images (the trainer indexes them out of the shared dataset once).
/// </summary>
public static class TrialMemory
{
    private const long BytesPerValue = sizeof(float);

    /// <param name="images">Training plus validation images of the trial's dataset.</param>
    /// <returns>Bytes; 0 for the noop model, which allocates nothing.</returns>
    /// <exception cref="ArgumentException">The model or dataset is unknown, or the model does not fit the dataset's images.</exception>
    public static long Estimate(TrialSpec spec, long images)
    {
        if (spec.Model == NoopTrial.Model)
            return 0; // it allocates nothing
        var info = DatasetCatalog.Describe(spec.Dataset.Name);
        var shape = info.Shape;
        using var scope = NewDisposeScope();
        using var model = ModelCatalog.Create(spec.Model, new ModelOptions(shape, info.Classes)
        {
            Hidden = spec.Hidden,
            Features = spec.Features,
        });
        var parameters = model.parameters().Sum(parameter => parameter.numel());
        var optimizerStates = spec.Optimizer.ToLowerInvariant() switch
        {
            "adam" => 2,
            "sgd" when spec.Momentum > 0 => 1,
            _ => 0,
        };
        var activationsPerImage = LayerOutputsPerImage(model, shape);
        var imageValues = (long)shape.Channels * shape.Height * shape.Width;
        return BytesPerValue * (parameters * (2 + optimizerStates) + 2L * spec.BatchSize * activationsPerImage + images * imageValues);
    }

    /// <summary>Values every leaf layer outputs for one image (the input included), from a forward pass in eval mode.</summary>
    private static long LayerOutputsPerImage(nn.Module<Tensor, Tensor> model, ImageShape input)
    {
        var values = (long)input.Channels * input.Height * input.Width;
        var hooks = model.modules()
            .OfType<nn.Module<Tensor, Tensor>>()
            .Where(module => !module.children().Any())
            .Select(module => module.register_forward_hook((_, _, output) =>
            {
                values += output.numel();
                return output;
            }))
            .ToList();
        try
        {
            using var noGrad = no_grad();
            model.eval();
            model.forward(zeros(1, input.Channels, input.Height, input.Width));
        }
        finally
        {
            hooks.ForEach(hook => hook.remove());
        }
        return values;
    }
}
