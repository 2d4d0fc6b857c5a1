using System.Text.Json.Serialization;
using CnnGrid.Orchestrator.Persistence;

namespace CnnGrid.Cli.Stack;

/// <summary>What <c>up</c> started, as <c>stack.json</c> keeps it for the other commands.</summary>
/// <param name="PostgresPort">TCP port of the stack's PostgreSQL on 127.0.0.1.</param>
/// <param name="Slots">Trials each worker runs at once.</param>
internal sealed record StackState(int PostgresPort, HostProcess Orchestrator, IReadOnlyList<HostProcess> Workers, int Slots)
{
    /// <summary>The database as a URL without its password (that stays in <c>postgres/password</c>).</summary>
    [JsonIgnore]
    public string DbUrl => $"postgresql://{LocalPostgres.UserName}@127.0.0.1:{PostgresPort}/{LocalPostgres.DatabaseName}";
}
