using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace CnnGrid.Orchestrator.Tests.Persistence;

/// <summary>A meter factory for tests that need instruments but assert nothing about them.</summary>
internal static class TestMeters
{
    public static IMeterFactory Factory { get; } =
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
}
