using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;

namespace CnnGrid.Orchestrator.Tests.Persistence;

/// <summary>
/// Drives Orleans' own ADO.NET membership table and gateway list provider against the queries of migration
/// 0001, operation by operation, including the optimistic-concurrency refusals.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OrleansMembershipQueriesTests(PostgresFixture postgres)
{
    private static readonly DateTime Started = new(2025, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);

    [Fact]
    public async Task Membership_rows_round_trip_and_stale_versions_change_nothing()
    {
        var (table, _, _, _) = await CreateAsync();
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);

        var empty = await table.ReadAllAsync();
        Assert.Empty(empty.Members);
        Assert.Equal(0, empty.Version.Version);

        var silo = Entry(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(silo, empty.Version.Next()));
        Assert.False(await table.InsertRowAsync(Entry(22222, SiloStatus.Joining), empty.Version.Next()));
        var inserted = await table.ReadAllAsync();
        Assert.Equal(1, inserted.Version.Version);
        Assert.False(await table.InsertRowAsync(silo, inserted.Version.Next()));

        var (read, etag) = Assert.Single(inserted.Members);
        Assert.Equal(silo.SiloAddress, read.SiloAddress);
        Assert.Equal(silo.SiloName, read.SiloName);
        Assert.Equal(silo.HostName, read.HostName);
        Assert.Equal(SiloStatus.Joining, read.Status);
        Assert.Equal(silo.ProxyPort, read.ProxyPort);
        Assert.Equal(silo.StartTime, read.StartTime);
        Assert.Equal(silo.IAmAliveTime, read.IAmAliveTime);
        Assert.Null(read.SuspectTimes);

        var suspector = SiloAddress.New(IPAddress.Loopback, 33333, 7);
        silo.Status = SiloStatus.Active;
        silo.SuspectTimes = [Tuple.Create(suspector, Started.AddMinutes(1))];
        Assert.True(await table.UpdateRowAsync(silo, etag, inserted.Version.Next()));
        silo.Status = SiloStatus.Dead;
        Assert.False(await table.UpdateRowAsync(silo, etag, inserted.Version.Next()));

        var updated = await table.ReadRowAsync(silo.SiloAddress);
        Assert.Equal(2, updated.Version.Version);
        var (row, _) = Assert.Single(updated.Members);
        Assert.Equal(SiloStatus.Active, row.Status);
        Assert.Equal(silo.SuspectTimes, row.SuspectTimes);

        var missing = await table.ReadRowAsync(SiloAddress.New(IPAddress.Loopback, 44444, 1));
        Assert.Empty(missing.Members);
        Assert.Equal(2, missing.Version.Version);
    }

    [Fact]
    public async Task Heartbeats_update_the_row_without_changing_the_version()
    {
        var (table, _, _, _) = await CreateAsync();
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var silo = Entry(11111, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync()).Version.Next()));

        silo.IAmAliveTime = Started.AddMinutes(5);
        await table.UpdateIAmAliveAsync(silo);

        var after = await table.ReadAllAsync();
        Assert.Equal(1, after.Version.Version);
        Assert.Equal(Started.AddMinutes(5), Assert.Single(after.Members).Item1.IAmAliveTime);
    }

    [Fact]
    public async Task Clients_are_given_the_gateways_of_active_silos_only()
    {
        var (table, gateways, _, _) = await CreateAsync();
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var active = Entry(11111, SiloStatus.Active);
        var joining = Entry(22222, SiloStatus.Joining);
        var activeWithoutGateway = Entry(33333, SiloStatus.Active);
        activeWithoutGateway.ProxyPort = 0;
        foreach (var entry in new[] { active, joining, activeWithoutGateway })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        }

        await gateways.InitializeGatewayListProviderAsync();
        var uri = Assert.Single(await gateways.GetGatewaysAsync());

        // Orleans' gateway URI format: gwy.tcp://address:gateway-port/generation.
        Assert.Equal(new Uri($"gwy.tcp://127.0.0.1:{active.ProxyPort}/{active.SiloAddress.Generation}"), uri);
    }

    [Theory]
    [InlineData("CleanupDefunctSiloEntryKey")]
    [InlineData("CleanupDefunctSiloEntriesKey")]
    public async Task Cleanup_removes_dead_silos_not_heard_from_since_the_cut_off(string cleanupQuery)
    {
        var (table, _, _, connectionString) = await CreateAsync();
        if (cleanupQuery == "CleanupDefunctSiloEntriesKey")
        {
            // Without the optional per-row query the provider falls back to the bulk one.
            await using var connection = await PostgresFixture.OpenAsync(connectionString);
            Assert.Equal(1, await connection.ExecuteAsync(
                "DELETE FROM orleansquery WHERE querykey = 'CleanupDefunctSiloEntryKey'"));
        }

        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var dead = Entry(11111, SiloStatus.Dead);
        var alive = Entry(22222, SiloStatus.Active);
        var recentlyDead = Entry(33333, SiloStatus.Dead);
        recentlyDead.IAmAliveTime = Started.AddHours(2);
        foreach (var entry in new[] { dead, alive, recentlyDead })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        }

        await table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(Started.AddHours(1)));

        Assert.Equal(
            new[] { alive.SiloAddress, recentlyDead.SiloAddress }.Order(),
            (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress).Order());
    }

    [Fact]
    public async Task Deleting_the_cluster_forgets_its_members_and_version()
    {
        var (table, _, clusterId, _) = await CreateAsync();
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        Assert.True(await table.InsertRowAsync(Entry(11111, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next()));

        await table.DeleteMembershipTableEntriesAsync(clusterId);

        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var fresh = await table.ReadAllAsync();
        Assert.Empty(fresh.Members);
        Assert.Equal(0, fresh.Version.Version);
    }

    private async Task<(AdoNetClusteringTable Table, AdoNetGatewayListProvider Gateways, string ClusterId, string ConnectionString)>
        CreateAsync()
    {
        // A session time zone far from UTC: the stored times must not depend on it.
        var connectionString = new NpgsqlConnectionStringBuilder(await postgres.CreateMigratedDatabaseAsync())
        {
            Timezone = "Pacific/Kiritimati",
        }.ConnectionString;
        var cluster = Options.Create(new ClusterOptions { ClusterId = $"cluster-{Guid.NewGuid():N}", ServiceId = "cnngrid-tests" });
        var services = new ServiceCollection().BuildServiceProvider();
        var table = new AdoNetClusteringTable(
            services,
            cluster,
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = "Npgsql", ConnectionString = connectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        var gateways = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            services,
            Options.Create(new AdoNetClusteringClientOptions { Invariant = "Npgsql", ConnectionString = connectionString }),
            Options.Create(new GatewayOptions()),
            cluster);
        return (table, gateways, cluster.Value.ClusterId, connectionString);
    }

    private static MembershipEntry Entry(int port, SiloStatus status) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 42),
        SiloName = $"silo-{port}",
        HostName = "test-host",
        Status = status,
        ProxyPort = port + 1,
        StartTime = Started,
        IAmAliveTime = Started,
    };
}
