using System.Collections.Concurrent;
using YamlDotNet.RepresentationModel;

namespace CnnGrid.Deploy.Tests;

/// <summary>
/// What <c>kubectl kustomize</c> makes of one of deploy/kubernetes' kustomizations, the manifests a cluster would be
/// given: the checks read this output, so a patch that breaks the base, or an overlay that undoes a fix, shows.
/// </summary>
public sealed class KustomizeBuild
{
    public const string Folder = "deploy/kubernetes";

    private static readonly ConcurrentDictionary<string, KustomizeBuild> Builds = new();

    private KustomizeBuild(string overlay, IReadOnlyList<YamlMappingNode> documents) => (Overlay, Documents) = (overlay, documents);

    /// <summary>Every folder of deploy/kubernetes with a kustomization: the base and its overlays.</summary>
    public static IEnumerable<string> Overlays => Directory.EnumerateDirectories(Repository.PathOf(Folder))
        .Where(folder => File.Exists(Path.Combine(folder, "kustomization.yaml")))
        .Select(Path.GetFileName).Order()!;

    public string Overlay { get; }

    public IReadOnlyList<YamlMappingNode> Documents { get; }

    /// <summary>Whether its workers are CUDA workers: the overlay named for GPUs.</summary>
    public bool IsGpu => Overlay == "gpu";

    /// <exception cref="InvalidOperationException">kubectl is missing or the kustomization does not build; says which.</exception>
    public static KustomizeBuild Of(string overlay) => Builds.GetOrAdd(overlay, name => new KustomizeBuild(name, YamlNodes.Documents(
        Command.Run("kubectl", "./cnngrid test installs Debian's kubernetes-client (kubectl 1.20) when no kubectl is on PATH",
            "kustomize", $"{Folder}/{name}").Succeeded($"kubectl kustomize {Folder}/{name}"))));

    public IEnumerable<YamlMappingNode> OfKind(string kind) => Documents.Where(document => document.Text("kind") == kind);

    public IEnumerable<YamlMappingNode> Workloads => Documents.Where(document => document.Text("kind") is "Deployment" or "StatefulSet" or "DaemonSet");

    public IEnumerable<(YamlMappingNode Workload, YamlNode Container)> Containers =>
        Workloads.SelectMany(workload => workload.Items("spec", "template", "spec", "containers").Select(container => (workload, container)));

    /// <summary>The containers that run a CnnGrid host (image <c>cnngrid/…</c>), each with the Dockerfile of its image.</summary>
    public IEnumerable<(YamlMappingNode Workload, YamlNode Container, HostImage Image)> HostContainers => Containers
        .Where(pair => pair.Container.Text("image")!.StartsWith("cnngrid/", StringComparison.Ordinal))
        .Select(pair => (pair.Workload, pair.Container, HostImage.All.Single(image => image.ImageName == pair.Container.Text("image")!.Split(':')[0])));

    public (YamlMappingNode Workload, YamlNode Container) HostContainer(HostImage image) =>
        HostContainers.Where(host => host.Image == image).Select(host => (host.Workload, host.Container)).Single();

    /// <summary>The secrets a pod's volumes name, each with the keys it picks (null: all of them) and where the volume is.</summary>
    public static IEnumerable<(string Volume, string Secret, IReadOnlyList<(string Key, string Path)>? Items)> SecretVolumes(YamlNode workload) =>
        workload.Items("spec", "template", "spec", "volumes").SelectMany(volume =>
        {
            var name = volume.Text("name")!;
            var sources = volume.Get("secret") is { } secret
                ? [secret]
                : volume.Items("projected", "sources").Select(source => source.Get("secret")).OfType<YamlNode>();
            return sources.Select(source => (name, source.Text("secretName") ?? source.Text("name")!,
                source.Get("items") is null ? null : (IReadOnlyList<(string, string)>?)[.. source.Items("items").Select(item => (item.Text("key")!, item.Text("path")!))]));
        });

    public DeployedContainer ToDeployed(YamlNode workload, YamlNode container, GeneratedSecrets secrets)
    {
        var environment = container.Items("env").ToDictionary(variable => variable.Text("name")!, variable => variable.Text("value"));
        var volumes = SecretVolumes(workload).ToLookup(volume => volume.Volume);
        var files = container.Items("volumeMounts").SelectMany(mount => volumes[mount.Text("name")!].SelectMany(volume =>
            (volume.Items ?? [.. (secrets.KubernetesSecrets.GetValueOrDefault(volume.Secret)?.Keys ?? []).Select(key => (key, key))])
                .Select(item => $"{mount.Text("mountPath")}/{item.Path}")));
        return new DeployedContainer($"{Overlay}: {workload.Text("kind")} {workload.Text("metadata", "name")}", container.Text("image")!, environment, files.ToHashSet());
    }

    /// <summary>The container port a probe or Service names (a port name, or a number).</summary>
    public static int? Port(YamlNode container, string? port) => int.TryParse(port, out var number)
        ? number
        : container.Items("ports").Where(item => item.Text("name") == port).Select(item => (int?)int.Parse(item.Text("containerPort")!)).FirstOrDefault();
}
