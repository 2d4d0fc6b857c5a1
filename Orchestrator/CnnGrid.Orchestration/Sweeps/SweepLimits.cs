namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>How large a submitted sweep and each of its trials may be (configuration section <c>Sweeps</c>).</summary>
/// <param name="MaxTrials">Most trials (configurations × seeds × folds) one sweep may expand to.</param>
/// <param name="MaxBytes">Largest spec body accepted, in UTF-8 bytes.</param>
/// <param name="MaxParameters">
/// Most trainable parameters one trial's model may have: ResNet-50 has 25 M, and CnnGrid is for small CNNs (the
/// catalog's largest default model has 0.6 M), so 50 M only stops a runaway <c>hidden</c> on large images.
/// </param>
/// <param name="MaxTrialBytes">
/// Most memory one trial may need by its estimate (<see cref="Abstractions.Catalog.TrialMemory"/>). At submit the API
/// also holds a trial to the largest live worker's memory, so a spec that no worker could train is refused up front.
/// </param>
public sealed record SweepLimits(int MaxTrials = 10_000, int MaxBytes = 65_536, long MaxParameters = 50_000_000, long MaxTrialBytes = 64L << 30)
{
    public static SweepLimits Default { get; } = new();

    /// <summary>Where <see cref="MaxTrialBytes"/> comes from, for the message that refuses a spec.</summary>
    public string MaxTrialBytesSource { get; init; } = "Sweeps:MaxTrialBytes";

    /// <summary>These limits with a trial's memory held to the largest of the live workers' (none: these limits).</summary>
    public SweepLimits WithinWorkers(IEnumerable<long?> workerMemoryBytes)
    {
        var largest = workerMemoryBytes.OfType<long>().DefaultIfEmpty().Max();
        return largest is > 0 && largest < MaxTrialBytes
            ? this with { MaxTrialBytes = largest, MaxTrialBytesSource = "the memory of the largest live worker" }
            : this;
    }
}
