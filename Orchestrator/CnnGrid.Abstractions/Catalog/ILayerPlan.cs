namespace CnnGrid.Abstractions.Catalog;

/// <summary>
/// What a catalog model is made of, layer by layer, as its file in <c>Catalog/Models</c> writes it. Written once, read
/// two ways: the trainer's layer stack builds TorchSharp modules from it, and <see cref="ModelSize"/> counts its
/// parameters and activations so that the orchestrator can bound a trial's size without TorchSharp.
/// </summary>
public interface ILayerPlan
{
    /// <summary>The image shape the model is built for.</summary>
    ImageShape Input { get; }

    /// <summary>The spec's <c>hidden</c> units, or null for the model's default.</summary>
    int? Hidden { get; }

    /// <summary>The spec's <c>features</c> maps, or null for the model's default.</summary>
    int? Features { get; }

    ILayerPlan Conv(int channels, int kernel, int padding = 0, int stride = 1);

    ILayerPlan MaxPool(int kernel, int? stride = null, int padding = 0);

    ILayerPlan AvgPool(int kernel);

    /// <summary>Seed 002's residual block: conv 3×3, norm, ReLU, conv 3×3, norm, plus a 1×1 conv shortcut when the shape changes.</summary>
    ILayerPlan Residual(int channels, int stride = 1);

    /// <summary>Averages each channel's map to one value, then flattens.</summary>
    ILayerPlan GlobalAveragePool();

    ILayerPlan Flatten();

    ILayerPlan Dense(int outFeatures);

    /// <summary>The last linear layer: one logit per class.</summary>
    ILayerPlan Classifier();

    /// <summary>A marked normalization place: the spec's kind over the current feature map or vector (nothing for <c>none</c>).</summary>
    ILayerPlan Norm();

    /// <summary>A marked dropout place: the spec's rate.</summary>
    ILayerPlan Dropout();

    ILayerPlan ReLU();

    ILayerPlan Sigmoid();
}
