using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Refuses a sweep whose largest trial would have more parameters, or need more memory by its estimate
/// (<see cref="TrialMemory"/>), than <see cref="SweepLimits"/> allow: at submit, naming the field that makes it large
/// and the limit, instead of a worker running out of memory on every attempt.
/// </summary>
internal static class TrialSizeCheck
{
    // The settings a trial's size depends on; the others (dropout, seeds, folds…) leave it alone.
    private static readonly string[] SizeSettings =
        [TrialParameters.Model, "hidden", "features", "normalization", "batchSize", "optimizer", "momentum"];

    // Where to point a problem: the first of these the spec writes, the setting most likely to have made it large.
    private static readonly string[] ParameterCulprits = ["hidden", "features", TrialParameters.Model];
    private static readonly string[] MemoryCulprits = ["batchSize", "hidden", "features", TrialParameters.Model];

    /// <param name="written">The hyperparameters the spec fixes at their place, by name.</param>
    public static IReadOnlyList<SpecProblem> Problems(SweepSpec spec, IReadOnlySet<string> written, SweepLimits limits)
    {
        var sized = Configurations(spec)
            .Select(configuration => (configuration.Values, configuration.Trial, Size: Measure(configuration.Trial)))
            .Where(measured => measured.Size is not null)
            .Select(measured => (measured.Values, measured.Trial, Size: measured.Size!.Value))
            .ToList();
        var problems = new List<SpecProblem>();
        var tooManyParameters = sized.Where(measured => measured.Size.Model.Parameters > limits.MaxParameters).ToList();
        if (tooManyParameters.Count > 0)
        {
            var largest = tooManyParameters.MaxBy(measured => measured.Size.Model.Parameters);
            problems.Add(new SpecProblem(Culprit(ParameterCulprits, largest.Values, spec, written),
                $"{Describe(largest.Trial)} has {largest.Size.Model.Parameters:N0} parameters, more than the limit of " +
                $"{limits.MaxParameters:N0} a trial's model may have (Sweeps:MaxParameters){More(tooManyParameters.Count)}"));
        }
        var tooLarge = sized.Where(measured => measured.Size.Bytes > limits.MaxTrialBytes).ToList();
        if (tooLarge.Count > 0)
        {
            var heaviest = tooLarge.MaxBy(measured => measured.Size.Bytes);
            problems.Add(new SpecProblem(Culprit(MemoryCulprits, heaviest.Values, spec, written),
                $"a trial of {Describe(heaviest.Trial)} needs an estimated {Gibibytes(heaviest.Size.Bytes)} of memory " +
                $"(weights, gradients, optimizer state, batchSize {heaviest.Trial.BatchSize:N0} × every layer's activations, " +
                $"and its images), more than the {Gibibytes(limits.MaxTrialBytes)} a trial may use ({limits.MaxTrialBytesSource}){More(tooLarge.Count)}"));
        }
        return problems;
    }

    /// <summary>
    /// The configurations (<see cref="SweepExpander.Configurations"/>) that differ in a size setting, the first of each,
    /// with its varied values applied to the spec's base trial.
    /// </summary>
    private static IEnumerable<(IReadOnlyDictionary<string, object?> Values, TrialSpec Trial)> Configurations(SweepSpec spec) =>
        SweepExpander.Configurations(spec)
            .DistinctBy(values => string.Join('\0', SizeSettings.Select(name => values.TryGetValue(name, out var value) ? TrialParameter.Format(value) : "")))
            .Select(values => (values, values.Aggregate(spec.Base, (trial, value) => Hyperparameters.Find(value.Key)!.Apply(trial, value.Value))));

    /// <summary>The trial's size, or null for what the training catalog does not size (noop, a test catalog's models) or cannot build (refused elsewhere).</summary>
    private static (ModelSize Model, long Bytes)? Measure(TrialSpec trial)
    {
        if (TrainingCatalog.Models.All(model => model.Name != trial.Model) ||
            TrainingCatalog.Datasets.FirstOrDefault(dataset => dataset.Name == trial.Dataset.Name) is not { } dataset)
            return null;
        try
        {
            var images = Math.Min(trial.Dataset.Limit ?? dataset.TrainingImages, dataset.TrainingImages);
            var size = TrialMemory.Size(trial);
            return (size, TrialMemory.Estimate(trial, size, images));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Where the spec writes the first culprit the configuration varies or the spec fixes: a grid list's item, a drawn range, or a fixed field.</summary>
    private static string Culprit(string[] culprits, IReadOnlyDictionary<string, object?> varied, SweepSpec spec, IReadOnlySet<string> written)
    {
        foreach (var name in culprits)
        {
            if (varied.TryGetValue(name, out var value))
            {
                var path = SpecFieldReader.Child("grid", name);
                return spec.Grid.FirstOrDefault(axis => axis.Name == name) is { } axis
                    ? SpecFieldReader.Item(path, axis.Values.ToList().IndexOf(value))
                    : path; // drawn by a random search: no list position to name
            }
            if (written.Contains(name))
                return Hyperparameters.Find(name)!.FixedPath;
        }
        return spec.Grid.Any(axis => axis.Name == TrialParameters.Model) ? "grid.model" : TrialParameters.Model;
    }

    private static string Describe(TrialSpec trial) =>
        $"model {trial.Model}" + (trial.Hidden is { } hidden ? $" with hidden {hidden:N0}" : "") +
        (trial.Features is { } features ? $" with features {features:N0}" : "") + $" on {trial.Dataset.Name}";

    private static string More(int offending) => offending > 1 ? $" ({offending - 1:N0} more configurations are too)" : "";

    private static string Gibibytes(long bytes) => $"{bytes / (double)(1L << 30):N1} GiB";
}
