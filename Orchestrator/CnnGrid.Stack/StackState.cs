using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;

namespace CnnGrid.Stack;

/// <summary>What <c>up</c> started, as <c>stack.json</c> keeps it for the other commands.</summary>
/// <param name="PostgresPort">TCP port of the stack's PostgreSQL on 127.0.0.1 (and on <paramref name="Address"/>).</param>
/// <param name="Slots">Trials each worker's device runs at once; null for auto.</param>
/// <param name="Dashboard">The web dashboard; null until it has been started.</param>
/// <param name="Address">Where workers on other machines reach this one: PostgreSQL and every silo listen there.</param>
public sealed record StackState(
    int PostgresPort, HostProcess Orchestrator, IReadOnlyList<HostProcess> Workers, int? Slots, HostProcess? Dashboard = null,
    string Address = "127.0.0.1", int Fuse = 1)
{
    /// <summary>The database as workers reach it (<see cref="LocalPostgres.WorkerRole"/>), a URL without its password.</summary>
    [JsonIgnore]
    public string DbUrl
    {
        get
        {
            var host = IPAddress.Parse(Address).AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address;
            return $"postgresql://{LocalPostgres.WorkerRole}@{host}:{PostgresPort}/{LocalPostgres.DatabaseName}";
        }
    }
}
