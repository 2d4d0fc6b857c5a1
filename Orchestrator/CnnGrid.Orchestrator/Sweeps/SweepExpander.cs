using CnnGrid.Orchestrator.Persistence;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>Expands a sweep into its trials: the cartesian product of the grid × seeds × folds.</summary>
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

    /// <summary>
    /// Every trial of <paramref name="spec"/>, configuration by configuration (the grid's last list varying
    /// fastest), then seed, then fold. A configuration is every setting but seed and fold, so the trials
    /// of all seeds share its <see cref="PlannedTrial.ConfigId"/> and <see cref="PlannedTrial.Params"/>.
    /// </summary>
    public static IReadOnlyList<PlannedTrial> Expand(SweepSpec spec, string sweepId)
    {
        var axes = spec.Grid.Where(axis => axis.Name != Hyperparameters.Seed).ToArray();
        var parameters = axes
            .Select(axis => Hyperparameters.Find(axis.Name)
                ?? throw new ArgumentException($"grid.{axis.Name} is not a hyperparameter.", nameof(spec)))
            .ToArray();
        var seeds = spec.Seeds;
        var trials = new List<PlannedTrial>(checked((int)spec.TrialCount));
        var positions = new int[axes.Length];
        do
        {
            var config = spec.Base;
            var values = new Dictionary<string, object?>(axes.Length);
            for (var axis = 0; axis < axes.Length; axis++)
            {
                var value = axes[axis].Values[positions[axis]];
                config = parameters[axis].Apply(config, value);
                values[axes[axis].Name] = value;
            }
            var configId = TrialIds.ConfigId(config);
            var configParams = values.AsReadOnly();
            foreach (var seed in seeds)
            {
                for (var fold = 0; fold < spec.Base.Folds; fold++)
                {
                    trials.Add(new PlannedTrial(
                        TrialIds.TrialId(sweepId, configId, seed, fold),
                        configId,
                        configParams,
                        config with { Seed = seed, Fold = fold }));
                }
            }
        }
        while (Advance(positions, axes));
        return trials;
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
