namespace CnnGrid.Dashboard.Tests.Recorded;

/// <summary>A call the dashboard made to the <see cref="RecordedOrchestrator"/>.</summary>
/// <param name="Authorization">The Authorization header as sent, if any.</param>
public sealed record RecordedRequest(string Method, string Path, string? Authorization, string Body);
