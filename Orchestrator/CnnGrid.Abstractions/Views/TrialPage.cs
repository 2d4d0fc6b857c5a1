namespace CnnGrid.Abstractions.Views;

/// <summary>One page of a sweep's trials in plan order, as <c>GET /api/sweeps/{id}/trials?offset=&amp;limit=</c> returns it.</summary>
/// <param name="Total">Trials the sweep has in all.</param>
public sealed record TrialPage(int Total, int Offset, IReadOnlyList<TrialRecord> Trials);
