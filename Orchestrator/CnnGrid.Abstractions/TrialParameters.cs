namespace CnnGrid.Abstractions;

/// <summary>
/// The trial contract's one table: every hyperparameter a sweep spec can fix or vary, with its valid values. The
/// defaults are <see cref="TrialSpec"/>'s own. Trial-only settings (folds, the fold, test evaluation) are not here:
/// a spec sets them once for all its trials.
/// </summary>
public static class TrialParameters
{
    public const string Epochs = "epochs";
    public const string Model = "model";
    public const string Seed = "seed";
    public const string PermutePixelsSeed = "permutePixelsSeed";
    public const string TrialTimeoutSeconds = "trialTimeoutSeconds";

    public static IReadOnlyList<string> Optimizers { get; } = ["sgd", "adam"];

    public static IReadOnlyList<string> Normalizations { get; } = ["none", "batchnorm", "layernorm"];

    public static IReadOnlyList<TrialParameter> All { get; } =
    [
        // Its valid names are the catalog's, which the orchestrator checks.
        new(Model, TrialValueKind.Text, false, "A model the server's catalog knows.",
            spec => spec.Model, (spec, value) => spec with { Model = (string)value! }),
        new("dropout", TrialValueKind.Number, false, null,
            spec => spec.Dropout, (spec, value) => spec with { Dropout = (double)value! })
        { Minimum = 0, Maximum = 1, MaximumExclusive = true },
        new("weightDecay", TrialValueKind.Number, false, "L2 penalty, applied as the optimizer's weight decay.",
            spec => spec.WeightDecay, (spec, value) => spec with { WeightDecay = (double)value! })
        { Minimum = 0 },
        new("normalization", TrialValueKind.Text, false, null,
            spec => spec.Normalization, (spec, value) => spec with { Normalization = (string)value! })
        { Choices = Normalizations },
        new("optimizer", TrialValueKind.Text, false, null,
            spec => spec.Optimizer, (spec, value) => spec with { Optimizer = (string)value! })
        { Choices = Optimizers },
        new("learningRate", TrialValueKind.Number, false, null,
            spec => spec.LearningRate, (spec, value) => spec with { LearningRate = (double)value! })
        { Minimum = 0, MinimumExclusive = true },
        // 1 would never forget a gradient (PyTorch accepts it; the velocity then only grows).
        new("momentum", TrialValueKind.Number, false, "SGD momentum.",
            spec => spec.Momentum, (spec, value) => spec with { Momentum = (double)value! })
        { Minimum = 0, Maximum = 1, MaximumExclusive = true },
        new("batchSize", TrialValueKind.Integer, false, null,
            spec => spec.BatchSize, (spec, value) => spec with { BatchSize = (int)value! })
        // Also at most the training fold (SweepSpecReader); larger batches only hold more memory on a small CNN.
        { Minimum = 1, Maximum = 8192 },
        new(Epochs, TrialValueKind.Integer, false, null,
            spec => spec.Epochs, (spec, value) => spec with { Epochs = (int)value! })
        // The seeds train 1 to 50 epochs; 1,000 leaves room without letting one trial hold a slot for ever.
        { Minimum = 1, Maximum = 1000 },
        new("hidden", TrialValueKind.Integer, true, "Hidden units of the mlp model; null for its default.",
            spec => spec.Hidden, (spec, value) => spec with { Hidden = (int?)value })
        // 50,000 ran a worker out of memory; the orchestrator's parameter limit (SweepLimits.MaxParameters, 50 M) also
        // refuses 8,192 units, 74 M weights in its two layers on 28×28 images.
        { Minimum = 1, Maximum = 8192 },
        new("features", TrialValueKind.Integer, true, "Feature maps of the seed003-cnn model; null for its default.",
            spec => spec.Features, (spec, value) => spec with { Features = (int?)value })
        // Each map's activations are a batch's full image size: 512 maps of 32×32 at batch 64 are 134 MB per layer.
        { Minimum = 1, Maximum = 512 },
        new(Seed, TrialValueKind.Integer, false,
            "Drives weight initialisation, batch order, dropout, augmentation and shuffled folds.",
            spec => spec.Seed, (spec, value) => spec with { Seed = (int)value! })
        { Minimum = 0, Maximum = int.MaxValue },
        new("patience", TrialValueKind.Integer, true,
            "Stop after this many epochs without a better validation accuracy; null never stops early.",
            spec => spec.Patience, (spec, value) => spec with { Patience = (int?)value })
        { Minimum = 1 },
        // A dataset setting, so fixed inside "dataset", but varying it is seed 003's permuted-pixels experiment.
        new(PermutePixelsSeed, TrialValueKind.Integer, true,
            "Shuffle every image's pixels by one fixed permutation drawn from this seed (seed 003's experiment); null keeps pixels in place.",
            spec => spec.Dataset.PermutePixelsSeed,
            (spec, value) => spec with { Dataset = spec.Dataset with { PermutePixelsSeed = (int?)value } })
        { Minimum = 0, Maximum = int.MaxValue, FixedPath = "dataset." + PermutePixelsSeed },
    ];

    /// <summary>
    /// A spec-level limit, not a hyperparameter: fixed once for all of a spec's trials and never varied (it stops a
    /// trial rather than defining what it trains), so it is outside <see cref="All"/> and no part of a configuration's id.
    /// </summary>
    public static TrialParameter TrialTimeout { get; } = new(TrialTimeoutSeconds, TrialValueKind.Number, false,
        "Seconds a trial may train (every epoch, earlier attempts' included) before its worker ends it failed; not retried.",
        spec => spec.TimeoutSeconds, (spec, value) => spec with { TimeoutSeconds = (double)value! })
    { Minimum = 1, Maximum = TrialSpec.MaxTimeoutSeconds };

    private static readonly Dictionary<string, TrialParameter> ByName = All.ToDictionary(parameter => parameter.Name);

    public static TrialParameter? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Every problem of a trial spec's hyperparameters, in the table's order; empty when all are valid.</summary>
    public static IReadOnlyList<string> Problems(TrialSpec spec) =>
        [.. All.Select(parameter => parameter.Read(spec) is { } value ? parameter.Problem(value) : null).OfType<string>()];
}
