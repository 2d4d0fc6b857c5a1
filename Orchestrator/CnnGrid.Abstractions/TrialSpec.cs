namespace CnnGrid.Abstractions;

/// <summary>Everything that defines one trial: one fold of one configuration.</summary>
public sealed record TrialSpec
{
    public DatasetSpec Dataset { get; init; } = new();
    public string Model { get; init; } = "seed000-cnn";

    public int Folds { get; init; } = 5;
    public int Fold { get; init; }
    public bool Stratified { get; init; }

    /// <summary>Shuffle before splitting into folds (scikit-learn's <c>shuffle=True</c>); the split then depends on <see cref="Seed"/>.</summary>
    public bool ShuffleFolds { get; init; }

    /// <summary>Drives weight initialisation, batch order, dropout, augmentation and shuffled folds.</summary>
    public int Seed { get; init; } = 42;

    public int Epochs { get; init; } = 1;
    public int BatchSize { get; init; } = 64;

    /// <summary><c>sgd</c> or <c>adam</c>.</summary>
    public string Optimizer { get; init; } = "adam";
    public double LearningRate { get; init; } = 0.001;
    public double Momentum { get; init; }

    /// <summary>L2 penalty, applied as the optimizer's weight decay.</summary>
    public double WeightDecay { get; init; }
    public double Dropout { get; init; }

    /// <summary><c>none</c>, <c>batchnorm</c> or <c>layernorm</c>.</summary>
    public string Normalization { get; init; } = "none";

    /// <summary>Hidden units of the <c>mlp</c> model.</summary>
    public int? Hidden { get; init; }

    /// <summary>Feature maps of the <c>seed003-cnn</c> model.</summary>
    public int? Features { get; init; }

    /// <summary>Stop after this many epochs without a better validation accuracy.</summary>
    public int? Patience { get; init; }

    /// <summary>After training, evaluate the best epoch's weights on the dataset's held-out test split.</summary>
    public bool EvaluateTest { get; init; }
}
