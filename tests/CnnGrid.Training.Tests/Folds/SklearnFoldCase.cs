using CnnGrid.Training.Folds;

namespace CnnGrid.Training.Tests.Folds;

/// <summary>
/// One <c>KFold</c> (no labels) or <c>StratifiedKFold</c> run: its folds, or the error scikit-learn raised instead.
/// </summary>
public sealed record SklearnFoldCase(
    string Name, int N, int K, bool Shuffle, int Seed, int[]? Labels, FoldSplit[]? Folds, string? SklearnError);
