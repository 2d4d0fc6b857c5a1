namespace CnnGrid.Training.Tests.Folds;

/// <summary><c>RandomState(Seed).shuffle(arange(N))</c> as numpy left it.</summary>
public sealed record NumpyShuffleCase(int N, uint Seed, int[] Permutation);
