using CnnGrid.Orchestrator.Persistence;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>Expands a sweep into its trials: its configurations (the grid's cartesian product, or a random search's draws) × seeds × folds.</summary>
public static class SweepExpander
{
    /// <summary>
    /// Trials a sweep with these grid list lengths has (a <c>seed</c> list counts like any other list);
    /// saturates at <see cref="long.MaxValue"/> instead of overflowing.
    /// </summary>
    public static long CountTrials(int folds, IEnumerable<int> gridSizes)
    {
        long count = folds;
        foreach (var size in gridSizes)
        {
            count = count == 0 || size <= long.MaxValue / count ? count * size : long.MaxValue;
        }
        return count;
    }

    /// <summary>The configuration id of a sweep's refit until its best configuration is known.</summary>
    public const string RefitPlaceholder = "refit";

    /// <summary>
    /// Every trial of <paramref name="spec"/>, configuration by configuration (the grid's last list varying
    /// fastest), then seed, then fold. A configuration is every setting but seed and fold, so the trials
    /// of all seeds share its <see cref="PlannedTrial.ConfigId"/> and <see cref="PlannedTrial.Params"/>. Under
    /// successive halving each trial pauses after the first rung; a sweep that refits ends with its refit, waiting.
    /// </summary>
    public static IReadOnlyList<PlannedTrial> Expand(SweepSpec spec, string sweepId)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var trials = new List<PlannedTrial>(checked((int)spec.TrialCount + 1));
        var pauseAfter = spec.Search.Schedule?.PauseAfterEpoch(0);
        foreach (var values in Configurations(spec))
        {
            var config = spec.Base;
            foreach (var (name, value) in values)
            {
                config = (Hyperparameters.Find(name)
                    ?? throw new ArgumentException($"grid.{name} is not a hyperparameter.", nameof(spec))).Apply(config, value);
            }
            var configId = TrialIds.ConfigId(config);
            foreach (var seed in spec.Seeds)
            {
                for (var fold = 0; fold < spec.Base.Folds; fold++)
                {
                    trials.Add(new PlannedTrial(
                        TrialIds.TrialId(sweepId, configId, seed, fold),
                        configId,
                        values,
                        config with { Seed = seed, Fold = fold, PauseAfterEpoch = pauseAfter }));
                }
            }
        }
        if (spec.Refit)
        {
            trials.Add(new PlannedTrial(
                TrialIds.TrialId(sweepId, RefitPlaceholder, spec.Seeds[0], 0),
                RefitPlaceholder,
                new Dictionary<string, object?>(),
                spec.Base with { Refit = true, Fold = 0, Seed = spec.Seeds[0], Patience = null })
            { Refit = true });
        }
        return trials;
    }

    /// <summary>
    /// The sweep's configurations, each its varied values by name (seed aside): a random search's draws, or every
    /// combination of the grid's lists, the last list varying fastest.
    /// </summary>
    public static IEnumerable<IReadOnlyDictionary<string, object?>> Configurations(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Samples is { } samples)
        {
            foreach (var sample in samples)
                yield return sample;
            yield break;
        }
        var axes = spec.Grid.Where(axis => axis.Name != Hyperparameters.Seed).ToArray();
        var positions = new int[axes.Length];
        do
        {
            var values = new Dictionary<string, object?>(axes.Length);
            for (var axis = 0; axis < axes.Length; axis++)
                values[axes[axis].Name] = axes[axis].Values[positions[axis]];
            yield return values.AsReadOnly();
        }
        while (Advance(positions, axes));
    }

    /// <summary>Steps the positions like an odometer; false once every combination has been visited.</summary>
    private static bool Advance(int[] positions, GridAxis[] axes)
    {
        for (var axis = axes.Length - 1; axis >= 0; axis--)
        {
            if (++positions[axis] < axes[axis].Values.Count)
            {
                return true;
            }
            positions[axis] = 0;
        }
        return false;
    }
}
