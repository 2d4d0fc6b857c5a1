namespace CnnGrid.Cli.Tests.Commands;

/// <summary>A trial as the stack's database holds it, with the epochs stored for it in order.</summary>
/// <param name="FinishedAt">The database's clock (UTC) when its end was stored.</param>
internal sealed record TrialRow(string Id, string State, string? Worker, int Attempts, DateTime? FinishedAt, int[] Epochs);
