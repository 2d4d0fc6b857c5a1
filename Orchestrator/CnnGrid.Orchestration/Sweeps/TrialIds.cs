using System.Security.Cryptography;
using CnnGrid.Abstractions;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Deterministic ids: the first 16 lowercase hex digits of the SHA-256 of canonical JSON, so the same spec
/// yields the same ids on every node and every resubmit.
/// </summary>
public static class TrialIds
{
    /// <summary>
    /// Identifies a configuration: every setting of <paramref name="spec"/> except <see cref="TrialSpec.Fold"/>,
    /// <see cref="TrialSpec.Seed"/>, <see cref="TrialSpec.TimeoutSeconds"/>, the rung (<see cref="TrialSpec.PauseAfterEpoch"/>)
    /// and <see cref="TrialSpec.Refit"/> (a refit takes its configuration's id). Seed is left out because a list of seeds
    /// is repeated cross-validation: the configuration's mean and std are taken over all its seeds × folds; the time
    /// limit because it stops a trial without changing what it trains.
    /// </summary>
    public static string ConfigId(TrialSpec spec) => Hash(ConfigContent(spec));

    /// <summary>Identifies one trial of a sweep.</summary>
    public static string TrialId(string sweepId, string configId, int seed, int fold) =>
        Hash(new Dictionary<string, object?>
        {
            ["sweepId"] = sweepId,
            ["configId"] = configId,
            ["seed"] = seed,
            ["fold"] = fold,
        });

    /// <summary>What <see cref="ConfigId"/> hashes, keyed by the spec's JSON names.</summary>
    internal static Dictionary<string, object?> ConfigContent(TrialSpec spec) => new()
    {
        ["dataset"] = new Dictionary<string, object?>
        {
            ["name"] = spec.Dataset.Name,
            ["path"] = spec.Dataset.Path,
            ["limit"] = spec.Dataset.Limit,
            ["mean"] = spec.Dataset.Mean,
            ["std"] = spec.Dataset.Std,
            ["augment"] = spec.Dataset.Augment,
            ["permutePixelsSeed"] = spec.Dataset.PermutePixelsSeed,
        },
        ["model"] = spec.Model,
        ["folds"] = spec.Folds,
        ["stratified"] = spec.Stratified,
        ["shuffleFolds"] = spec.ShuffleFolds,
        ["epochs"] = spec.Epochs,
        ["batchSize"] = spec.BatchSize,
        ["optimizer"] = spec.Optimizer,
        ["learningRate"] = spec.LearningRate,
        ["momentum"] = spec.Momentum,
        ["weightDecay"] = spec.WeightDecay,
        ["dropout"] = spec.Dropout,
        ["normalization"] = spec.Normalization,
        ["hidden"] = spec.Hidden,
        ["features"] = spec.Features,
        ["patience"] = spec.Patience,
        ["evaluateTest"] = spec.EvaluateTest,
        ["noopSeconds"] = spec.NoopSeconds,
    };

    private static string Hash(IReadOnlyDictionary<string, object?> content) =>
        Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Serialize(content)), 0, 8);
}
