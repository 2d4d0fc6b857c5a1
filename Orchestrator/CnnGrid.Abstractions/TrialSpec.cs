using System.Text.Json.Serialization;

namespace CnnGrid.Abstractions;

/// <summary>Everything that defines one trial: one fold of one configuration.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialSpec
{
    [Id(0)]
    public DatasetSpec Dataset { get; init; } = new();
    [Id(1)]
    public string Model { get; init; } = "seed000-cnn";

    [Id(2)]
    public int Folds { get; init; } = 5;
    [Id(3)]
    public int Fold { get; init; }
    [Id(4)]
    public bool Stratified { get; init; }

    /// <summary>Shuffle before splitting into folds (scikit-learn's <c>shuffle=True</c>); the split then depends on <see cref="Seed"/>.</summary>
    [Id(5)]
    public bool ShuffleFolds { get; init; }

    /// <summary>Drives weight initialisation, batch order, dropout, augmentation and shuffled folds.</summary>
    [Id(6)]
    public int Seed { get; init; } = 42;

    [Id(7)]
    public int Epochs { get; init; } = 1;
    [Id(8)]
    public int BatchSize { get; init; } = 64;

    /// <summary><c>sgd</c> or <c>adam</c>.</summary>
    [Id(9)]
    public string Optimizer { get; init; } = "adam";
    [Id(10)]
    public double LearningRate { get; init; } = 0.001;
    [Id(11)]
    public double Momentum { get; init; }

    /// <summary>L2 penalty, applied as the optimizer's weight decay.</summary>
    [Id(12)]
    public double WeightDecay { get; init; }
    [Id(13)]
    public double Dropout { get; init; }

    /// <summary><c>none</c>, <c>batchnorm</c> or <c>layernorm</c>.</summary>
    [Id(14)]
    public string Normalization { get; init; } = "none";

    /// <summary>Hidden units of the <c>mlp</c> model.</summary>
    [Id(15)]
    public int? Hidden { get; init; }

    /// <summary>Feature maps of the <c>seed003-cnn</c> model.</summary>
    [Id(16)]
    public int? Features { get; init; }

    /// <summary>Stop after this many epochs without a better validation accuracy.</summary>
    [Id(17)]
    public int? Patience { get; init; }

    /// <summary>After training, evaluate the best epoch's weights on the dataset's held-out test split.</summary>
    [Id(18)]
    public bool EvaluateTest { get; init; }

    /// <summary>
    /// Seconds each epoch of the <c>noop</c> model takes (it sleeps), so dispatch can be measured against trials of a
    /// known length; 0 for every other model.
    /// </summary>
    [Id(19)]
    public double NoopSeconds { get; init; }

    /// <summary>
    /// The most seconds the trial may train (its epochs, earlier attempts' included); the worker then ends it failed,
    /// and it is not retried. Set once per spec (<c>trialTimeoutSeconds</c>); not part of a configuration's identity.
    /// </summary>
    [Id(20)]
    public double TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;

    /// <summary>
    /// A successive-halving rung: the trial trains up to this epoch (below <see cref="Epochs"/>), stores that epoch's
    /// resume point and ends <see cref="TrialOutcome.Paused"/>; its sweep then stops it or promotes it (queues it again
    /// with the next rung's epoch, resuming from that point). Null: train to <see cref="Epochs"/>.
    /// </summary>
    [Id(21)]
    public int? PauseAfterEpoch { get; init; }

    /// <summary>
    /// The refit of a sweep's best configuration: trains on every training image (no fold is held out; <see cref="Folds"/>
    /// and <see cref="Fold"/> are ignored), evaluates each epoch on the dataset's held-out test split in place of a
    /// validation fold, and keeps the last epoch's weights (never chosen by test accuracy) as its checkpoint.
    /// </summary>
    [Id(22)]
    public bool Refit { get; init; }

    /// <summary>The epoch this assignment trains up to: the rung's, or the last.</summary>
    [JsonIgnore]
    public int LastEpoch => PauseAfterEpoch is { } pause && pause < Epochs ? pause : Epochs;

    /// <summary>A day: far beyond the seeds' trials on a CPU, short enough that a hung trial gives its slot back.</summary>
    public const double DefaultTimeoutSeconds = 86_400;

    /// <summary>A week.</summary>
    public const double MaxTimeoutSeconds = 604_800;

    /// <summary>The model that trains nothing and sleeps (dispatch benchmarks).</summary>
    public const string NoopModel = "noop";

    /// <summary>The longest <see cref="NoopSeconds"/>: an hour per epoch is already far past any benchmark.</summary>
    public const double MaxNoopSeconds = 3600;

    /// <summary>
    /// Whether this trial and <paramref name="other"/> can train together, one pass over their data for both: they
    /// differ only in a dropout rate (both zero or both not: a zero rate draws no masks) and train a real model.
    /// </summary>
    public bool FusesWith(TrialSpec other) =>
        Model != NoopModel && (Dropout > 0) == (other.Dropout > 0) && this with { Dropout = other.Dropout } == other;
}
