using System.Reflection;
using CnnGrid.Orchestrator.Scheduling;
using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests;

public sealed class OrchestratorHostTests
{
    [Fact]
    public void The_host_holds_no_grains_the_orchestration_library_does()
    {
        // A thin host: the grains live in CnnGrid.Orchestration, which in-process test clusters host without the HTTP API.
        Assert.Empty(GrainTypes(typeof(OrchestratorHost).Assembly));
        Assert.Superset(new HashSet<Type> { typeof(SweepGrain), typeof(ISweepGrain), typeof(TrialSchedulerGrain) }, GrainTypes(typeof(SweepGrain).Assembly).ToHashSet());
    }

    private static IEnumerable<Type> GrainTypes(Assembly assembly) =>
        assembly.GetTypes().Where(type => type.IsAssignableTo(typeof(Grain)) || (type.IsInterface && type.IsAssignableTo(typeof(IGrain))));
}
