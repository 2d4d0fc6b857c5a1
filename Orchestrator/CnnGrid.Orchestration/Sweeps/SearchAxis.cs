namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>A hyperparameter a random search draws: from its list of <see cref="Choices"/>, or from its <see cref="Range"/>.</summary>
public sealed record SearchAxis(string Name, IReadOnlyList<object?>? Choices, SearchDistribution? Range)
{
    public object? Draw(Random random) =>
        Choices is { } choices ? choices[random.Next(choices.Count)] : Range!.Draw(random);

    /// <summary>How many values it can take; null for a continuous range.</summary>
    public long? Size => Choices is { } choices ? choices.Count
        : Range is { Kind: SearchDistribution.IntUniform } range ? (long)(range.High - range.Low) + 1 : null;
}
