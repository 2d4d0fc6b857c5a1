namespace CnnGrid.Dashboard.Api;

/// <summary>One thing wrong with a sweep spec, as the orchestrator reports it.</summary>
/// <param name="Path">Where in the spec, as a JSON path (<c>$.grid.dropout[2]</c>).</param>
public sealed record SpecProblem(string Path, string Message);
