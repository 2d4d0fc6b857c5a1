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
        // The hyperparameters' rules are the contract's; only the per-trial settings are checked here.
        var problems = new List<string>(TrialParameters.Problems(spec));
        if (TrialParameters.TrialTimeout.Problem(spec.TimeoutSeconds) is { } timeout) problems.Add(timeout);
        if (spec.Folds < 2) problems.Add($"folds must be at least 2 (got {spec.Folds})");
        if (spec.Fold < 0 || spec.Fold >= spec.Folds) problems.Add($"fold must be in [0, {spec.Folds}) (got {spec.Fold})");
        if (!(spec.NoopSeconds is >= 0 and <= TrialSpec.MaxNoopSeconds))
            problems.Add($"noop seconds must be in [0, {TrialSpec.MaxNoopSeconds}] (got {spec.NoopSeconds})");
        else if (spec.NoopSeconds > 0 && spec.Model != NoopTrial.Model)
            problems.Add($"noop seconds apply only to model {NoopTrial.Model} (got {spec.NoopSeconds} with model {spec.Model})");
        if (spec.PauseAfterEpoch < 1) problems.Add($"pause after epoch must be at least 1 (got {spec.PauseAfterEpoch})");
        // A refit ends after its last epoch: stopping or pausing it would choose its weights by the test split it measures.
        if (spec.Refit && spec.Patience is not null) problems.Add($"a refit trains every epoch: patience does not apply (got {spec.Patience})");
        if (spec.Refit && spec.PauseAfterEpoch is not null) problems.Add($"a refit trains every epoch: pause after epoch does not apply (got {spec.PauseAfterEpoch})");
        if (problems.Count > 0)
            throw new ArgumentException("Invalid trial: " + string.Join("; ", problems) + ".");
        return Enum.Parse<NormalizationKind>(spec.Normalization, ignoreCase: true);
    }
}
