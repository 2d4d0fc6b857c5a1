using CnnGrid.Abstractions;
using CnnGrid.Training.Models;

namespace CnnGrid.Training.Trials;

/// <summary>Checks a single trial's hyperparameters before any tensor is allocated, naming every problem at once.</summary>
public static class TrialSpecChecks
{
    /// <returns>The parsed normalization kind.</returns>
    /// <exception cref="ArgumentException">Lists every problem found.</exception>
    public static NormalizationKind Validate(TrialSpec spec)
    {
        var problems = new List<string>();
        if (spec.Folds < 2) problems.Add($"folds must be at least 2 (got {spec.Folds})");
        if (spec.Fold < 0 || spec.Fold >= spec.Folds) problems.Add($"fold must be in [0, {spec.Folds}) (got {spec.Fold})");
        if (spec.Epochs < 1) problems.Add($"epochs must be at least 1 (got {spec.Epochs})");
        if (spec.BatchSize < 1) problems.Add($"batch size must be at least 1 (got {spec.BatchSize})");
        if (!(spec.LearningRate > 0) || !double.IsFinite(spec.LearningRate)) problems.Add($"learning rate must be positive (got {spec.LearningRate})");
        if (!(spec.Dropout >= 0 && spec.Dropout < 1)) problems.Add($"dropout must be in [0, 1) (got {spec.Dropout})");
        if (!(spec.WeightDecay >= 0) || !double.IsFinite(spec.WeightDecay)) problems.Add($"weight decay must be non-negative (got {spec.WeightDecay})");
        if (!(spec.Momentum >= 0 && spec.Momentum < 1)) problems.Add($"momentum must be in [0, 1) (got {spec.Momentum})");
        if (spec.Patience is < 1) problems.Add($"patience must be at least 1 (got {spec.Patience})");
        if (!(spec.NoopSeconds is >= 0 and <= NoopTrial.MaxSeconds))
            problems.Add($"noop seconds must be in [0, {NoopTrial.MaxSeconds}] (got {spec.NoopSeconds})");
        else if (spec.NoopSeconds > 0 && spec.Model != NoopTrial.Model)
            problems.Add($"noop seconds apply only to model {NoopTrial.Model} (got {spec.NoopSeconds} with model {spec.Model})");
        if (!TrialOptimizer.Names.Contains(spec.Optimizer.ToLowerInvariant()))
            problems.Add($"unknown optimizer '{spec.Optimizer}' (use {string.Join(" or ", TrialOptimizer.Names)})");
        if (!Enum.TryParse<NormalizationKind>(spec.Normalization, ignoreCase: true, out var normalization) || int.TryParse(spec.Normalization, out _))
            problems.Add($"unknown normalization '{spec.Normalization}' (use none, batchnorm or layernorm)");
        if (problems.Count > 0)
            throw new ArgumentException("Invalid trial: " + string.Join("; ", problems) + ".");
        return normalization;
    }
}
