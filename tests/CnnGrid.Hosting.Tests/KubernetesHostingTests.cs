using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;

namespace CnnGrid.Hosting.Tests;

/// <summary>
/// The silo's identity with and without <see cref="CnnGridSilo.KubernetesSetting"/>, read off the built host's
/// options: starting it would start the hosting's agent, which calls the Kubernetes API.
/// </summary>
public sealed class KubernetesHostingTests : IDisposable
{
    private const string PodName = "worker-5d8f9c7b4-x2k9q";
    private static readonly IPAddress PodIp = IPAddress.Parse("10.244.1.17");

    // The downward API's variables, as a pod gets them, and the cluster id the hosting would take from the
    // environment: process-wide, so set for this class's tests (run one at a time) and restored after.
    private readonly Dictionary<string, string?> podEnvironment = new()
    {
        [KubernetesHostingOptions.PodNameEnvironmentVariable] = PodName,
        [KubernetesHostingOptions.PodNamespaceEnvironmentVariable] = "cnngrid",
        [KubernetesHostingOptions.PodIPEnvironmentVariable] = PodIp.ToString(),
        [KubernetesHostingOptions.ClusterIdEnvironmentVariable] = "another-cluster",
        [KubernetesHostingOptions.ServiceIdEnvironmentVariable] = "another-service",
    };

    private readonly Dictionary<string, string?> previous;
    private readonly string directory = Directory.CreateTempSubdirectory("cnngrid-kubernetes-hosting-").FullName;

    public KubernetesHostingTests()
    {
        previous = podEnvironment.Keys.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        foreach (var (name, value) in podEnvironment)
            Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose()
    {
        foreach (var (name, value) in previous)
            Environment.SetEnvironmentVariable(name, value);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void In_a_pod_the_silo_is_named_after_it_advertises_its_ip_and_keeps_the_clusters_id()
    {
        using var host = Silo((CnnGridSilo.KubernetesSetting, "true"));

        Assert.Equal(PodName, Options<SiloOptions>(host).SiloName);
        var endpoints = Options<EndpointOptions>(host);
        Assert.Equal(PodIp, endpoints.AdvertisedIPAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Any, EndpointOptions.DEFAULT_SILO_PORT), endpoints.SiloListeningEndpoint);
        Assert.Equal(0, endpoints.GatewayPort);
        var cluster = Options<ClusterOptions>(host);
        Assert.Equal((CnnGridSilo.ClusterId, CnnGridSilo.ClusterId), (cluster.ClusterId, cluster.ServiceId));
        Assert.True(Options<KubernetesHostingOptions>(host).DeleteDefunctSiloPods);
    }

    [Fact]
    public void Outside_kubernetes_the_pods_variables_are_not_read()
    {
        using var host = Silo(("Cluster:Address", "10.0.0.5"));

        Assert.NotEqual(PodName, Options<SiloOptions>(host).SiloName);
        Assert.Equal(IPAddress.Parse("10.0.0.5"), Options<EndpointOptions>(host).AdvertisedIPAddress);
        Assert.Equal(CnnGridSilo.ClusterId, Options<ClusterOptions>(host).ClusterId);
        Assert.Null(host.Services.GetService<IConfigureOptions<KubernetesHostingOptions>>());
    }

    [Fact]
    public void In_a_pod_without_its_ip_the_silo_does_not_start()
    {
        Environment.SetEnvironmentVariable(KubernetesHostingOptions.PodIPEnvironmentVariable, null);

        var error = Assert.Throws<InvalidOperationException>(() => Silo((CnnGridSilo.KubernetesSetting, "true")));
        Assert.Contains($"{KubernetesHostingOptions.PodIPEnvironmentVariable} is not set", error.Message);
    }

    /// <summary>A silo host built, not started, with <paramref name="settings"/> and the cluster's TLS files.</summary>
    private IHost Silo(params (string Key, string Value)[] settings)
    {
        using var authority = ClusterCertificates.Authority("cluster");
        using var silo = ClusterCertificates.Issue(authority, "silo");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([.. settings.Concat(ClusterCertificates.WriteTlsFiles(directory, authority, silo)).Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value))])
            .Build();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(orleans => orleans.JoinCnnGridCluster(configuration, "Host=postgres"));
        return builder.Build();
    }

    private static T Options<T>(IHost host) where T : class => host.Services.GetRequiredService<IOptions<T>>().Value;
}
