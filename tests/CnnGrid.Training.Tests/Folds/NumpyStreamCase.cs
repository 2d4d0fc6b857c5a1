namespace CnnGrid.Training.Tests.Folds;

/// <summary>The first 32-bit outputs of numpy's <c>RandomState(Seed)</c>.</summary>
public sealed record NumpyStreamCase(uint Seed, uint[] UInt32);
