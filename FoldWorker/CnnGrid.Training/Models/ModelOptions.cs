using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;
using TorchSharp;

namespace CnnGrid.Training.Models;

/// <summary>What a model is built for: the dataset's image shape and classes, and the hyperparameters applied at its marked places.</summary>
public sealed record ModelOptions(ImageShape Input, int Classes)
{
    public double Dropout { get; init; }
    public NormalizationKind Normalization { get; init; }

    /// <summary>Hidden units of <c>mlp</c>; the model's default when null.</summary>
    public int? Hidden { get; init; }

    /// <summary>Feature maps of <c>seed003-cnn</c>; the model's default when null.</summary>
    public int? Features { get; init; }

    /// <summary>
    /// Generator the model's initial weights and dropout masks are drawn from. Trials share a process, so a per-trial
    /// generator (not torch's global one) is what keeps a seeded trial reproducible while others run beside it.
    /// </summary>
    public torch.Generator? Random { get; init; }
}
