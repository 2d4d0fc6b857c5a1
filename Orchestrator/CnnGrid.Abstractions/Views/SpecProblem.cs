namespace CnnGrid.Abstractions.Views;

/// <summary>One thing wrong with a sweep spec.</summary>
/// <param name="Path">Where in the spec, JSON-path-like: <c>folds</c>, <c>dataset.limit</c>, <c>grid.dropout[2]</c>; <c>$</c> for the whole document.</param>
/// <param name="Message">What is wrong and, where it can tell, how to fix it.</param>
public sealed record SpecProblem(string Path, string Message);
