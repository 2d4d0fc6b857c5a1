namespace CnnGrid.Training.Folds;

/// <summary>One cross-validation fold: the sample indices to train on and the ones to validate on.</summary>
/// <param name="Train">Every index not in <paramref name="Validation"/>, ascending.</param>
/// <param name="Validation">This fold's indices, ascending.</param>
public sealed record FoldSplit(int[] Train, int[] Validation);
