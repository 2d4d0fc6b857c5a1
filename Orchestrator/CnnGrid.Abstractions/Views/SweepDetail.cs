namespace CnnGrid.Abstractions.Views;

/// <summary>A sweep's progress and the spec it was submitted with.</summary>
/// <param name="SpecJson">The spec as submitted (PostgreSQL's jsonb normalises whitespace and key order).</param>
public sealed record SweepDetail(SweepSummary Summary, string SpecJson);
