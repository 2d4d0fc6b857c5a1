using System.Net;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Hosting.Kubernetes;

namespace CnnGrid.Hosting;

/// <summary>
/// How every silo joins the CnnGrid cluster: membership in PostgreSQL (<c>ConnectionStrings:CnnGrid</c>, through
/// Orleans' ADO.NET clustering), one cluster and service id, the endpoints the other silos and the clients call, and
/// mutual TLS with the cluster's certificates (<see cref="ClusterTls"/>); in Kubernetes, on request, the identity its pod gives it.
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
    /// Whether the silo runs in a Kubernetes pod and takes its identity from it through Orleans' Kubernetes hosting:
    /// <c>Cluster:Kubernetes=true</c>. Off by default.
    /// </summary>
    public const string KubernetesSetting = "Cluster:Kubernetes";

    /// <summary>
    /// Joins the cluster whose membership table is in <paramref name="connectionString"/>'s database, at
    /// <c>Cluster:Address</c> (what the other silos, on other machines too, call this one at; default loopback) or,
    /// with <see cref="KubernetesSetting"/>, its pod's (<see cref="UseKubernetesPod"/>), <c>Cluster:SiloPort</c>
    /// (Orleans' default) and <c>Cluster:GatewayPort</c> (none by default).
    /// </summary>
    /// <exception cref="InvalidOperationException">With <see cref="KubernetesSetting"/>, <c>POD_IP</c> is not set.</exception>
    public static ISiloBuilder JoinCnnGridCluster(this ISiloBuilder silo, IConfiguration configuration, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var address = configuration.GetValue<bool>(KubernetesSetting)
            ? silo.UseKubernetesPod()
            : IPAddress.Parse(configuration["Cluster:Address"] ?? IPAddress.Loopback.ToString());
        return silo
            // After the Kubernetes hosting, so this wins over the ORLEANS_CLUSTER_ID and ORLEANS_SERVICE_ID it would
            // take from the environment: every silo and client of CnnGrid has the one id.
            .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (ClusterId, ClusterId))
            .UseAdoNetClustering(options => (options.Invariant, options.ConnectionString) = ("Npgsql", connectionString))
            .ConfigureEndpoints(
                address,
                configuration.GetValue("Cluster:SiloPort", EndpointOptions.DEFAULT_SILO_PORT),
                // No gateway unless asked for: the dashboard and the CLI use the HTTP API, and only tests' clients call grains.
                configuration.GetValue("Cluster:GatewayPort", 0))
            .UseClusterTls(ClusterTls.From(configuration, address));
    }

    /// <summary>
    /// Orleans' Kubernetes hosting: the silo is named after its pod (<c>POD_NAME</c>) and listens on every address.
    /// Membership stays in PostgreSQL; the hosting's agent, on two of the silos, watches the pods in
    /// <c>POD_NAMESPACE</c> labelled with the cluster id, declares a silo dead as soon as its pod is gone rather than
    /// after the membership vote, and deletes the pod of a silo the cluster declared dead, so that its Deployment
    /// starts another. It needs a Role that may get, list, watch, patch (its own labels) and delete pods.
    /// </summary>
    /// <returns>The pod's IP (<c>POD_IP</c>), which the silo advertises.</returns>
    private static IPAddress UseKubernetesPod(this ISiloBuilder silo)
    {
        // Read here, as the hosting reads it: the hosting would advertise it only where no address is configured,
        // and Orleans' own default, which comes first, always configures one (the first interface's).
        var podIp = Environment.GetEnvironmentVariable(KubernetesHostingOptions.PodIPEnvironmentVariable)
            ?? throw new InvalidOperationException(
                $"{KubernetesHostingOptions.PodIPEnvironmentVariable} is not set: with {KubernetesSetting}=true the silo advertises its pod's IP (the downward API's status.podIP).");
        silo.UseKubernetesHosting(options => options.Configure(hosting => hosting.DeleteDefunctSiloPods = true));
        return IPAddress.Parse(podIp);
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
