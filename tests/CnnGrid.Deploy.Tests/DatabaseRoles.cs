namespace CnnGrid.Deploy.Tests;

/// <summary>
/// The least-privilege database roles of the README's Security section, as a deployment wires them: the orchestrator
/// logs in as the schema's owner and grants the workers' role its tables; workers log in as that role; both roles and
/// the database are what deploy/kubernetes/base/postgres-init.sh makes (Compose and Kubernetes share it).
/// </summary>
public static class DatabaseRoles
{
    public const string InitScript = "deploy/kubernetes/base/postgres-init.sh";
    public const string WorkerRoleVariable = "Database__WorkerRole";

    public static IEnumerable<string> Problems(DeployedContainer orchestrator, DeployedContainer worker, GeneratedSecrets secrets)
    {
        var (owner, workers) = (orchestrator.Database, worker.Database);
        var init = Repository.Read(InitScript);
        if (owner.Username == workers.Username)
            yield return $"the orchestrator and the workers both log in as {owner.Username}";
        if (orchestrator.Environment.GetValueOrDefault(WorkerRoleVariable) != workers.Username)
            yield return $"{orchestrator.Name} grants {WorkerRoleVariable}={orchestrator.Environment.GetValueOrDefault(WorkerRoleVariable)}, the workers log in as {workers.Username}";
        foreach (var (container, database) in new[] { (orchestrator, owner), (worker, workers) })
        {
            if (!init.Contains($"CREATE ROLE {database.Username} LOGIN NOSUPERUSER", StringComparison.Ordinal))
                yield return $"{container.Name} logs in as {database.Username}, which {InitScript} does not make (a non-superuser login)";
            if (Path.GetFileName(database.Passfile) is { } passfile && secrets.Files.Contains(passfile) && secrets.PgpassUser(passfile) != database.Username)
                yield return $"{container.Name} logs in as {database.Username} with {passfile}, which holds the password of {secrets.PgpassUser(passfile)}";
            if (database.Database != owner.Database)
                yield return $"{container.Name} uses database {database.Database}, the orchestrator {owner.Database}";
        }
        if (!init.Contains($"CREATE DATABASE {owner.Database} OWNER {owner.Username};", StringComparison.Ordinal))
            yield return $"{InitScript} does not make database {owner.Database} owned by {owner.Username}";
        if (!init.Contains($"GRANT CONNECT ON DATABASE {owner.Database} TO {workers.Username};", StringComparison.Ordinal))
            yield return $"{InitScript} does not let {workers.Username} connect to {owner.Database}";
    }
}
