namespace CnnGrid.Hosting.Tests;

/// <summary>One series of an instant query's result: its labels and its value.</summary>
internal sealed record Sample(IReadOnlyDictionary<string, string> Labels, double Value);
