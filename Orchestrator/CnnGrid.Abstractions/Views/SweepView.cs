using System.Text.Json;

namespace CnnGrid.Abstractions.Views;

/// <summary>A sweep as <c>GET /api/sweeps/{id}</c> shows it: progress, the spec, and every configuration's result so far, ranked.</summary>
public sealed record SweepView(SweepSummary Summary, JsonElement Spec, IReadOnlyList<ConfigAggregate> Configs);
