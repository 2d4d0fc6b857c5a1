using CnnGrid.Abstractions.Views;

namespace CnnGrid.ApiClient;

/// <summary>What a submit came to: the sweep the orchestrator accepted, or the problems it rejected the spec for.</summary>
public sealed record SubmitOutcome(SubmitResult? Accepted, IReadOnlyList<SpecProblem> Problems);
