using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

/// <summary>Parses spec text against <see cref="TestCatalog.Default"/>.</summary>
internal static class Specs
{
    public static ParseResult Parse(string json, SweepCatalog? catalog = null, SweepLimits? limits = null) =>
        SweepSpecParser.Parse(json, limits ?? SweepLimits.Default, catalog ?? TestCatalog.Default);

    /// <summary>The parsed sweep; fails the test with every problem when the spec is invalid.</summary>
    public static ParsedSweep Valid(string json)
    {
        var result = Parse(json);
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        return result.Sweep;
    }

    public static IReadOnlyList<SpecProblem> Problems(string json, SweepCatalog? catalog = null, SweepLimits? limits = null)
    {
        var result = Parse(json, catalog, limits);
        Assert.False(result.IsValid, "expected the spec to be rejected");
        return result.Problems;
    }
}
