namespace CnnGrid.Abstractions.Views;

/// <summary>The body of a successful <c>POST /api/sweeps</c>.</summary>
/// <param name="Created">False when a sweep with this id already existed (a repeated submit): nothing was added.</param>
public sealed record SubmitResult(string Id, long Trials, bool Created);
