using System.Diagnostics.CodeAnalysis;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>Either a valid sweep or every problem found in its spec.</summary>
public sealed class ParseResult
{
    private ParseResult(ParsedSweep? sweep, IReadOnlyList<SpecProblem> problems)
    {
        Sweep = sweep;
        Problems = problems;
    }

    public ParsedSweep? Sweep { get; }

    /// <summary>All problems found, in document order; empty when the spec is valid.</summary>
    public IReadOnlyList<SpecProblem> Problems { get; }

    [MemberNotNullWhen(true, nameof(Sweep))]
    public bool IsValid => Sweep is not null;

    public static ParseResult Valid(ParsedSweep sweep) => new(sweep, []);

    public static ParseResult Invalid(IReadOnlyList<SpecProblem> problems) =>
        problems.Count > 0
            ? new(null, problems)
            : throw new ArgumentException("An invalid result needs at least one problem.", nameof(problems));
}
