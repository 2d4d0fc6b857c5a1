namespace CnnGrid.Hosting.Tests;

/// <summary>One active target as Prometheus' <c>/api/v1/targets</c> reports it.</summary>
/// <param name="Health"><c>up</c>, <c>down</c> or <c>unknown</c> (not scraped yet).</param>
internal sealed record ScrapeTarget(string ScrapeUrl, string Health, string LastError, IReadOnlyDictionary<string, string> Labels);
