namespace CnnGrid.Abstractions.Scheduling;

/// <summary>
/// The grain directory the cluster's long-lived grains register in (the workers, the scheduler, the sweeps): Orleans'
/// distributed, strongly consistent one, which every silo of the cluster adds. Not the default directory: that one
/// deactivates an activation whose registration lived on a silo that left or died, so an orchestrator killed mid-sweep
/// would stop the trials of live workers, and a worker scaled down would restart the scheduler, which then reloads its
/// queue from PostgreSQL.
/// </summary>
public static class ConsistentDirectory
{
    public const string Name = "consistent";
}
