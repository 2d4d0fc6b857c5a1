using System.Net;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace CnnGrid.Hosting;

/// <summary>
/// How every silo joins the CnnGrid cluster: membership in PostgreSQL (<c>ConnectionStrings:CnnGrid</c>, through
/// Orleans' ADO.NET clustering), one cluster and service id, the endpoints the other silos and the clients call, and
/// mutual TLS with the cluster's certificates (<see cref="ClusterTls"/>).
/// </summary>
public static class CnnGridSilo
{
    /// <summary>Cluster and service id of every CnnGrid silo and client.</summary>
    public const string ClusterId = "cnngrid";

    /// <summary>The connection string's name: <c>ConnectionStrings:CnnGrid</c>, or <c>ConnectionStrings__CnnGrid</c> in the environment.</summary>
    public const string ConnectionStringName = "CnnGrid";

    /// <summary>The cluster's database.</summary>
    /// <param name="need">What the host needs it for, said in the error when it is missing.</param>
    /// <exception cref="InvalidOperationException">The connection string is not set.</exception>
    public static string ConnectionString(IConfiguration configuration, string need)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not set: {need}.");
    }

    /// <summary>
    /// Joins the cluster whose membership table is in <paramref name="connectionString"/>'s database, at
    /// <c>Cluster:Address</c> (what the other silos, on other machines too, call this one at; default loopback),
    /// <c>Cluster:SiloPort</c> (Orleans' default) and <c>Cluster:GatewayPort</c> (none by default).
    /// </summary>
    public static ISiloBuilder JoinCnnGridCluster(this ISiloBuilder silo, IConfiguration configuration, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var address = IPAddress.Parse(configuration["Cluster:Address"] ?? IPAddress.Loopback.ToString());
        return silo
            .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (ClusterId, ClusterId))
            .UseAdoNetClustering(options => (options.Invariant, options.ConnectionString) = ("Npgsql", connectionString))
            .ConfigureEndpoints(
                address,
                configuration.GetValue("Cluster:SiloPort", EndpointOptions.DEFAULT_SILO_PORT),
                // No gateway unless asked for: the dashboard and the CLI use the HTTP API, and only tests' clients call grains.
                configuration.GetValue("Cluster:GatewayPort", 0))
            .UseClusterTls(ClusterTls.From(configuration, address));
    }

    /// <summary>Requires and presents certificates on every silo and gateway connection; nothing without <paramref name="tls"/>.</summary>
    private static ISiloBuilder UseClusterTls(this ISiloBuilder silo, ClusterTls? tls) =>
        tls is null ? silo : silo.UseTls(tls.Certificate, options =>
        {
            options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            // Also what makes an outbound connection present the certificate (Orleans' default only offers it).
            options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            options.RemoteCertificateValidation = (remote, _, _) => tls.Issued(remote);
        });
}
