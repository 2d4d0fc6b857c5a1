using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace CnnGrid.Orchestrator.Tests.Persistence;

/// <summary>
/// Two silos and a client, each its own host, find each other only through the membership tables of
/// migration 0001.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OrleansClusterTests(PostgresFixture postgres)
{
    private const string Invariant = "Npgsql";
    private const int SiloStatusDead = 6;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_silos_join_one_cluster_a_client_finds_them_and_a_stopped_silo_is_marked_dead()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        var clusterId = $"cluster-{Guid.NewGuid():N}";

        using var first = Silo(connectionString, clusterId, "first");
        using var second = Silo(connectionString, clusterId, "second");
        await first.StartAsync();
        await second.StartAsync();
        var firstAddress = AddressOf(first);
        var secondAddress = AddressOf(second);

        // Each silo's own view of the cluster, as read from the table and gossip.
        foreach (var silo in new[] { first, second })
        {
            await EventuallyAsync(() => Task.FromResult(ActiveMembers(silo).SetEquals([firstAddress, secondAddress])));
        }

        using var client = Client(connectionString, clusterId);
        await client.StartAsync();
        var management = client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        Assert.Equal(
            new[] { firstAddress, secondAddress }.Order(),
            (await management.GetHosts(onlyActive: true)).Keys.Order());

        await second.StopAsync();

        await EventuallyAsync(() => Task.FromResult(ActiveMembers(first).SetEquals([firstAddress])));
        await EventuallyAsync(async () => (await management.GetHosts(onlyActive: true)).Keys.SequenceEqual([firstAddress]));
        Assert.Equal(SiloStatusDead, await StatusInTableAsync(connectionString, clusterId, secondAddress));

        await client.StopAsync();
        await first.StopAsync();
    }

    private static IHost Silo(string connectionString, string clusterId, string name)
    {
        var siloPort = FreeLoopbackPort();
        var gatewayPort = FreeLoopbackPort();
        return Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .UseOrleans(silo => silo
                .UseAdoNetClustering((AdoNetClusteringSiloOptions options) =>
                    (options.Invariant, options.ConnectionString) = (Invariant, connectionString))
                .Configure<ClusterOptions>(options => Identify(options, clusterId))
                .Configure<SiloOptions>(options => options.SiloName = name)
                .ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort))
            .Build();
    }

    private static IHost Client(string connectionString, string clusterId) => Host.CreateDefaultBuilder()
        .ConfigureLogging(logging => logging.ClearProviders())
        .UseOrleansClient(client => client
            .UseAdoNetClustering((AdoNetClusteringClientOptions options) =>
                (options.Invariant, options.ConnectionString) = (Invariant, connectionString))
            .Configure<ClusterOptions>(options => Identify(options, clusterId)))
        .Build();

    private static void Identify(ClusterOptions options, string clusterId) =>
        (options.ClusterId, options.ServiceId) = (clusterId, "cnngrid-tests");

    private static SiloAddress AddressOf(IHost silo) => silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    private static HashSet<SiloAddress> ActiveMembers(IHost silo) => silo.Services
        .GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values
        .Where(member => member.Status == SiloStatus.Active)
        .Select(member => member.SiloAddress)
        .ToHashSet();

    private static async Task<int> StatusInTableAsync(string connectionString, string clusterId, SiloAddress silo)
    {
        await using var connection = await PostgresFixture.OpenAsync(connectionString);
        await using var command = new NpgsqlCommand("""
            SELECT status FROM orleans_cluster_members
            WHERE cluster_id = @cluster AND address = @address AND port = @port AND generation = @generation
            """, connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        command.Parameters.AddWithValue("address", silo.Endpoint.Address.ToString());
        command.Parameters.AddWithValue("port", silo.Endpoint.Port);
        command.Parameters.AddWithValue("generation", silo.Generation);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Condition not met within {Patience}.");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
