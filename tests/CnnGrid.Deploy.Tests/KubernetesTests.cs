using CnnGrid.Hosting;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace CnnGrid.Deploy.Tests;

/// <summary>Every kustomization of deploy/kubernetes, as <c>kubectl kustomize</c> builds it, against the hosts' code.</summary>
public sealed class KubernetesTests(GeneratedSecrets secrets) : IClassFixture<GeneratedSecrets>
{
    public static TheoryData<string> Overlays => [.. KustomizeBuild.Overlays];

    private static HostImage Image(string assembly) => HostImage.All.Single(image => image.Assembly == assembly);

    [Fact]
    public void There_is_a_base_and_a_cpu_and_a_gpu_overlay()
    {
        Assert.Equal(["base", "cpu", "gpu"], KustomizeBuild.Overlays);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_setting_a_host_is_given_is_one_it_reads_and_every_file_a_mounted_secret(string overlay)
    {
        var build = KustomizeBuild.Of(overlay);
        var containers = build.HostContainers.Select(host => build.ToDeployed(host.Workload, host.Container, secrets)).ToList();
        Assert.Equal(HostImage.All.Select(image => image.ImageName).Order(), containers.Select(container => container.ImageName).Order());
        Assert.Empty(containers.SelectMany(container => container.Problems(HostSettings.Of(container.Host.Project))));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_secret_a_pod_mounts_is_one_secrets_sh_makes(string overlay)
    {
        foreach (var workload in KustomizeBuild.Of(overlay).Workloads)
        {
            foreach (var (_, secret, items) in KustomizeBuild.SecretVolumes(workload))
            {
                Assert.True(secrets.KubernetesSecrets.TryGetValue(secret, out var keys), $"{workload.Text("metadata", "name")} mounts Secret {secret}, which deploy/kubernetes/secrets.sh does not make");
                Assert.All(items ?? [], item => Assert.Contains(item.Key, keys!.Keys));
            }
            Assert.DoesNotContain(workload.Items("spec", "template", "spec", "containers"), container => container.Items("env").Any(variable => variable.Get("valueFrom", "secretKeyRef") is not null));
        }
        // The authority's key issues certificates; no pod needs it.
        Assert.DoesNotContain(secrets.KubernetesSecrets.Values, secret => secret.ContainsKey("cluster-authority.key"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Probes_ask_the_hosts_health_path_on_their_http_port(string overlay)
    {
        foreach (var (workload, container, image) in KustomizeBuild.Of(overlay).HostContainers)
        {
            Assert.Equal(image.HttpPort, KustomizeBuild.Port(container, "http"));
            foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
            {
                if (probe == "startupProbe" && container.Get(probe) is null)
                    continue;
                var name = $"{workload.Text("metadata", "name")} {probe}";
                Assert.True(container.Get(probe, "httpGet") is not null, $"{name} is missing or not an HTTP GET");
                Assert.Equal(HealthHosting.HealthPath, container.Text(probe, "httpGet", "path"));
                Assert.Equal(image.HttpPort, KustomizeBuild.Port(container, container.Text(probe, "httpGet", "port")));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Prometheus_is_told_where_every_host_serves_its_metrics(string overlay)
    {
        foreach (var (workload, _, image) in KustomizeBuild.Of(overlay).HostContainers)
        {
            var annotations = workload.Entries("spec", "template", "metadata", "annotations").ToDictionary(entry => entry.Key, entry => entry.Value.Text());
            Assert.Equal(new Dictionary<string, string?> { ["prometheus.io/scrape"] = "true", ["prometheus.io/path"] = MetricsHosting.ScrapePath, ["prometheus.io/port"] = image.HttpPort.ToString() },
                annotations.Where(entry => entry.Key.StartsWith("prometheus.io/", StringComparison.Ordinal)).ToDictionary());
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Each_host_runs_the_image_compose_runs(string overlay)
    {
        var build = KustomizeBuild.Of(overlay);
        var compose = build.IsGpu ? ComposeProject.Gpu : ComposeProject.Cpu;
        foreach (var image in HostImage.All)
            Assert.Equal(compose.Host(image).Container.Image, build.HostContainer(image).Container.Text("image"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Only_the_gpu_overlay_gives_workers_gpus(string overlay)
    {
        var build = KustomizeBuild.Of(overlay);
        var worker = build.HostContainer(Image("CnnGrid.FoldWorker.dll")).Container;
        foreach (var (workload, container) in build.Containers)
        {
            var gpus = container.Text("resources", "limits", "nvidia.com/gpu");
            if (build.IsGpu && container == worker)
                Assert.True(int.TryParse(gpus, out var count) && count >= 1, $"the gpu overlay's workers ask for nvidia.com/gpu {gpus ?? "(none)"}");
            else
                Assert.True(gpus is null, $"{overlay}: {workload.Text("metadata", "name")} asks for {gpus} GPUs");
        }
        // No devices named: the worker trains on every GPU the device plugin gives the pod, slots from their memory.
        Assert.DoesNotContain(worker.Items("env"), variable => variable.Text("name") == "Worker__Devices");
        Assert.Equal("auto", worker.Items("env").Single(variable => variable.Text("name") == "Worker__Slots").Text("value"));
        Assert.Equal("limits.cpu", worker.Items("env").Single(variable => variable.Text("name") == "Worker__Cores").Text("valueFrom", "resourceFieldRef", "resource"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Silos_listen_on_the_silo_port_and_get_longer_to_stop_than_their_shutdown(string overlay)
    {
        var shutdown = new HostOptions().ShutdownTimeout;
        foreach (var (workload, container, _) in KustomizeBuild.Of(overlay).HostContainers.Where(host => host.Image.IsSilo))
        {
            var name = workload.Text("metadata", "name");
            Assert.Equal(EndpointOptions.DEFAULT_SILO_PORT, KustomizeBuild.Port(container, "silo"));
            var grace = workload.Text("spec", "template", "spec", "terminationGracePeriodSeconds");
            Assert.True(grace is not null && TimeSpan.FromSeconds(int.Parse(grace)) > shutdown, $"{name}: terminationGracePeriodSeconds {grace ?? "(30 s)"} is not above the host's {shutdown}");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Silos_take_their_identity_from_their_pod_through_orleans_kubernetes_hosting(string overlay)
    {
        var fields = new Dictionary<string, string>
        {
            [KubernetesHostingOptions.PodNameEnvironmentVariable] = "metadata.name",
            [KubernetesHostingOptions.PodNamespaceEnvironmentVariable] = "metadata.namespace",
            [KubernetesHostingOptions.PodIPEnvironmentVariable] = "status.podIP",
        };
        Assert.Equal(HostSettings.PodVariables.Order(), fields.Keys.Order());
        foreach (var (workload, container, _) in KustomizeBuild.Of(overlay).HostContainers.Where(host => host.Image.IsSilo))
        {
            var name = workload.Text("metadata", "name");
            var environment = container.Items("env").ToDictionary(variable => variable.Text("name")!);
            Assert.True(environment.GetValueOrDefault(HostSettings.VariableOf(CnnGridSilo.KubernetesSetting)).Text("value") == "true", $"{name} does not set {CnnGridSilo.KubernetesSetting}=true");
            foreach (var (variable, field) in fields)
                Assert.True(environment.GetValueOrDefault(variable).Text("valueFrom", "fieldRef", "fieldPath") == field, $"{name}: {variable} is not the downward API's {field}");
            // The silo advertises POD_IP; a Cluster__Address beside it would be ignored.
            Assert.DoesNotContain("Cluster__Address", environment.Keys);
            // The agent watches the pods labelled with the silo's own ids, CnnGridSilo's whatever the environment says.
            var labels = workload.Entries("spec", "template", "metadata", "labels").ToDictionary(label => label.Key, label => label.Value.Text());
            Assert.Equal(CnnGridSilo.ClusterId, labels.GetValueOrDefault(KubernetesHostingOptions.ClusterIdLabel));
            Assert.Equal(CnnGridSilo.ClusterId, labels.GetValueOrDefault(KubernetesHostingOptions.ServiceIdLabel));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Silos_may_get_list_watch_patch_and_delete_the_pods_of_their_namespace_and_nothing_else(string overlay)
    {
        var build = KustomizeBuild.Of(overlay);
        foreach (var (workload, _, _) in build.HostContainers.Where(host => host.Image.IsSilo))
        {
            var (name, space) = (workload.Text("metadata", "name"), workload.Text("metadata", "namespace"));
            var account = workload.Text("spec", "template", "spec", "serviceAccountName");
            Assert.True(build.OfKind("ServiceAccount").Any(candidate => candidate.Text("metadata", "name") == account && candidate.Text("metadata", "namespace") == space),
                $"{name}: serviceAccountName {account ?? "(none: default)"} is no ServiceAccount in {space}");
            var rules = build.OfKind("RoleBinding")
                .Where(binding => binding.Text("metadata", "namespace") == space && binding.Text("roleRef", "kind") == "Role"
                    && binding.Items("subjects").Any(subject => subject.Text("kind") == "ServiceAccount" && subject.Text("name") == account && subject.Text("namespace") == space))
                .SelectMany(binding => build.OfKind("Role").Where(role => role.Text("metadata", "name") == binding.Text("roleRef", "name") && role.Text("metadata", "namespace") == space))
                .SelectMany(role => role.Items("rules"))
                .ToList();
            Assert.All(rules, rule =>
            {
                Assert.Equal([""], rule.Items("apiGroups").Select(group => group.Text()));
                Assert.Equal(["pods"], rule.Items("resources").Select(resource => resource.Text()));
            });
            Assert.Equal(["delete", "get", "list", "patch", "watch"], rules.SelectMany(rule => rule.Items("verbs").Select(verb => verb.Text())).Distinct().Order());
        }
        Assert.Empty(build.OfKind("ClusterRoleBinding"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Silos_find_their_token_where_the_kubernetes_client_reads_it_and_no_pod_gets_one_inside_its_secrets(string overlay)
    {
        // Where the Kubernetes client's in-cluster configuration reads them, under /var/run/secrets/kubernetes.io/serviceaccount;
        // the images' /var/run is /run, so that is inside the read-only /run/secrets volume every pod has, where
        // Kubernetes cannot mount the token itself: a pod it tried to fails to start (kubernetes/kubernetes#65835).
        const string folder = "/run/secrets/kubernetes.io/serviceaccount";
        var credentials = new Dictionary<string, string>
        {
            [$"{folder}/token"] = "serviceAccountToken",
            [$"{folder}/ca.crt"] = "configMap kube-root-ca.crt ca.crt",
            [$"{folder}/namespace"] = "fieldRef metadata.namespace",
        };
        var build = KustomizeBuild.Of(overlay);
        var accounts = build.OfKind("ServiceAccount").ToDictionary(account => account.Text("metadata", "name")!);
        foreach (var workload in build.Workloads)
        {
            var pod = workload.Get("spec", "template", "spec");
            var automount = pod.Text("automountServiceAccountToken")
                ?? accounts.GetValueOrDefault(pod.Text("serviceAccountName") ?? "default").Text("automountServiceAccountToken");
            Assert.True(automount == "false", $"{workload.Text("metadata", "name")} has Kubernetes mount its service account token inside /run/secrets");
        }
        foreach (var (workload, container, _) in build.HostContainers.Where(host => host.Image.IsSilo))
        {
            var volumes = workload.Items("spec", "template", "spec", "volumes").ToDictionary(volume => volume.Text("name")!);
            var files = container.Items("volumeMounts").SelectMany(mount => volumes[mount.Text("name")!].Items("projected", "sources").SelectMany(source =>
                    (source.Get("serviceAccountToken") is { } token ? [(token.Text("path"), "serviceAccountToken")] : Array.Empty<(string?, string)>())
                        .Concat(source.Items("configMap", "items").Select(item => (item.Text("path"), $"configMap {source.Text("configMap", "name")} {item.Text("key")}")))
                        .Concat(source.Items("downwardAPI", "items").Select(item => (item.Text("path"), $"fieldRef {item.Text("fieldRef", "fieldPath")}"))))
                    .Select(file => (Path: $"{mount.Text("mountPath")}/{file.Item1}", Source: file.Item2)))
                .ToDictionary(file => file.Path, file => file.Source);
            Assert.Equal(credentials, files.Where(file => credentials.ContainsKey(file.Key)).ToDictionary());
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void A_disruption_budget_lets_workers_go_one_at_a_time(string overlay)
    {
        var build = KustomizeBuild.Of(overlay);
        var workers = build.HostContainer(Image("CnnGrid.FoldWorker.dll")).Workload;
        var budget = Assert.Single(build.OfKind("PodDisruptionBudget"));
        Assert.True(Selects(budget.Get("spec", "selector", "matchLabels"), workers), "the PodDisruptionBudget does not select the worker pods");
        Assert.Equal("1", budget.Text("spec", "maxUnavailable"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Hosts_reach_each_other_through_services_on_the_hosts_ports(string overlay)
    {
        var build = KustomizeBuild.Of(overlay);
        var services = build.OfKind("Service").ToDictionary(service => service.Text("metadata", "name")!);
        int? Reached(string name, YamlNode workload, YamlNode container, int port)
        {
            Assert.True(services.TryGetValue(name, out var service), $"no Service {name}");
            Assert.True(Selects(service!.Get("spec", "selector"), workload), $"Service {name} does not select {workload.Text("metadata", "name")}");
            var target = service.Items("spec", "ports").Single(item => int.Parse(item.Text("port")!) == port);
            return KustomizeBuild.Port(container, target.Text("targetPort") ?? target.Text("port"));
        }

        var dashboard = build.HostContainer(Image("CnnGrid.Dashboard.dll")).Container;
        var url = new Uri(dashboard.Items("env").Single(variable => variable.Text("name") == "Orchestrator__Url").Text("value")!);
        var (orchestrator, orchestratorContainer) = build.HostContainer(Image("CnnGrid.Orchestrator.dll"));
        Assert.Equal(Image("CnnGrid.Orchestrator.dll").HttpPort, Reached(url.Host, orchestrator, orchestratorContainer, url.Port));

        var (postgres, postgresContainer) = build.Containers.Single(pair => pair.Container.Text("image")!.StartsWith("postgres:", StringComparison.Ordinal));
        foreach (var (workload, container, _) in build.HostContainers)
        {
            var deployed = build.ToDeployed(workload, container, secrets);
            if (deployed.Environment.ContainsKey(DeployedContainer.ConnectionStringVariable))
                Assert.Equal(5432, Reached(deployed.Database.Host!, postgres, postgresContainer, deployed.Database.Port));
        }
        foreach (var service in services.Values)
            Assert.Contains(build.Workloads, workload => Selects(service.Get("spec", "selector"), workload));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_database_roles_are_least_privilege(string overlay)
    {
        var build = KustomizeBuild.Of(overlay);
        DeployedContainer Deployed(string assembly)
        {
            var (workload, container) = build.HostContainer(Image(assembly));
            return build.ToDeployed(workload, container, secrets);
        }
        Assert.Empty(DatabaseRoles.Problems(Deployed("CnnGrid.Orchestrator.dll"), Deployed("CnnGrid.FoldWorker.dll"), secrets));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Host_containers_run_unprivileged(string overlay)
    {
        foreach (var (workload, container, image) in KustomizeBuild.Of(overlay).HostContainers)
        {
            var pod = workload.Get("spec", "template", "spec", "securityContext");
            Assert.Equal("true", pod.Text("runAsNonRoot"));
            Assert.Equal(image.User, pod.Text("runAsUser"));
            Assert.Equal("false", container.Text("securityContext", "allowPrivilegeEscalation"));
        }
    }

    /// <summary>Whether every label of <paramref name="selector"/> is on the workload's pods.</summary>
    private static bool Selects(YamlNode? selector, YamlNode workload)
    {
        var labels = workload.Entries("spec", "template", "metadata", "labels").ToDictionary(label => label.Key, label => label.Value.Text());
        var wanted = selector.Entries().ToList();
        return wanted.Count > 0 && wanted.All(label => labels.GetValueOrDefault(label.Key) == label.Value.Text());
    }
}
