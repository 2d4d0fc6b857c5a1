namespace CnnGrid.Abstractions.Catalog;

/// <summary>
/// What one trial keeps in its device's memory while it trains, estimated from its spec alone: the orchestrator refuses
/// a spec whose trials would not fit, and a GPU whose slots are <c>auto</c> runs as many trials as fit its free memory.
/// float32 throughout: the weights, their gradients and the optimizer's state per parameter; every layer's output for
/// a batch, twice (kept for backward, and its gradient); and the trial's own copy of its fold's images (the trainer
/// indexes them out of the shared dataset once).
/// </summary>
public static class TrialMemory
{
    private const long BytesPerValue = sizeof(float);

    /// <param name="images">Training plus validation images of the trial's dataset.</param>
    /// <returns>Bytes; 0 for the noop model, which allocates nothing.</returns>
    /// <exception cref="ArgumentException">The model or dataset is unknown, or the model does not fit the dataset's images.</exception>
    public static long Estimate(TrialSpec spec, long images)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Model == TrialSpec.NoopModel ? 0 : Estimate(spec, Size(spec), images);
    }

    /// <summary>The estimate for a trial whose model's <see cref="Size"/> is already known.</summary>
    public static long Estimate(TrialSpec spec, ModelSize size, long images)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var dataset = TrainingCatalog.Dataset(spec.Dataset.Name);
        var optimizerStates = spec.Optimizer.ToLowerInvariant() switch
        {
            "adam" => 2,
            "sgd" when spec.Momentum > 0 => 1,
            _ => 0,
        };
        return BytesPerValue * (size.Parameters * (2 + optimizerStates) + 2L * spec.BatchSize * size.ActivationsPerImage
            + images * dataset.Shape.Pixels);
    }

    /// <summary>The trial's model for its dataset's images, normalized as its spec says.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Estimate"/>.</exception>
    public static ModelSize Size(TrialSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var dataset = TrainingCatalog.Dataset(spec.Dataset.Name);
        return ModelSize.Of(TrainingCatalog.Model(spec.Model), dataset.Shape, dataset.Classes, spec.Hidden, spec.Features,
            normalized: !string.Equals(spec.Normalization, "none", StringComparison.OrdinalIgnoreCase));
    }
}
