using System.Text.RegularExpressions;
using CnnGrid.Hosting;
using Orleans.Configuration;

namespace CnnGrid.Deploy.Tests;

public sealed partial class DockerfileTests
{
    public static TheoryData<string> Dockerfiles => [.. HostImage.All.Select(image => image.Dockerfile)];

    private static HostImage Image(string dockerfile) => HostImage.All.Single(image => image.Dockerfile == dockerfile);

    private static HostImage Worker => HostImage.All.Single(image => image.Assembly == "CnnGrid.FoldWorker.dll");

    [Fact]
    public void Every_host_the_local_stack_starts_has_an_image()
    {
        // LocalStack names the hosts `./cnngrid up` starts: HostLauncher.HostDll("CnnGrid.Orchestrator"), ...
        var hosts = HostDll().Matches(Repository.Read("Orchestrator/CnnGrid.Stack/LocalStack.cs")).Select(match => match.Groups["project"].Value + ".dll").ToList();
        Assert.Equal(3, hosts.Count);
        Assert.All(hosts, host => Assert.Contains(host, HostImage.All.Select(image => image.Assembly)));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Runs_as_an_unprivileged_user(string dockerfile)
    {
        var user = Image(dockerfile).User;
        Assert.False(user is null or "root" or "0" || user.StartsWith("0:", StringComparison.Ordinal) || user.StartsWith("root:", StringComparison.Ordinal),
            $"{dockerfile}'s final stage runs as {user ?? "the base image's user (root)"}");
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Checks_its_health_on_the_hosts_health_path_and_port(string dockerfile)
    {
        var image = Image(dockerfile);
        Assert.Equal(["healthcheck.sh", image.HttpPort.ToString(), HealthHosting.HealthPath], image.HealthCheck);
        Assert.Contains(image.HttpPort.ToString(), image.Exposed);
        Assert.Contains(image.Arguments("COPY"), copy => copy.Contains($"{HostImage.Folder}/healthcheck.sh", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Builds_with_the_sdk_and_runs_on_a_runtime_image(string dockerfile)
    {
        var image = Image(dockerfile);
        Assert.Contains("mcr.microsoft.com/dotnet/sdk:", image.Instructions.First(line => line.Instruction == "FROM").Arguments);
        Assert.DoesNotContain("dotnet/sdk", image.FinalStage[0].Arguments);
        Assert.Contains(image.Arguments("COPY"), copy => copy.StartsWith("--from=build ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void A_silo_image_exposes_the_silo_port_and_starts_through_the_entrypoint(string dockerfile)
    {
        var image = Image(dockerfile);
        // A silo host is one whose own code starts Orleans (the dashboard only calls the HTTP API).
        var isSilo = Directory.EnumerateFiles(Path.GetDirectoryName(Repository.PathOf(image.Project))!, "*.cs", SearchOption.AllDirectories)
            .Any(file => File.ReadAllText(file).Contains(".UseOrleans(", StringComparison.Ordinal));
        Assert.Equal(isSilo, image.IsSilo);
        Assert.Equal(isSilo, image.Exposed.Contains(EndpointOptions.DEFAULT_SILO_PORT.ToString()));
        Assert.Equal(isSilo, image.Arguments("COPY").Any(copy => copy.Contains($"{HostImage.Folder}/entrypoint.sh", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_worker_image_builds_each_torchsharp_backend_on_its_own_runtime()
    {
        // The backends are the ones CnnGrid.Training picks a TorchSharp package for.
        var backends = TorchBackend().Matches(Repository.Read("FoldWorker/CnnGrid.Training/CnnGrid.Training.csproj")).Select(match => match.Groups["backend"].Value).ToList();
        Assert.Equal(["cpu", "cuda"], backends.Order());
        var stages = Worker.Instructions.Where(line => line.Instruction == "FROM").Select(line => line.Arguments).ToList();
        Assert.All(backends, backend => Assert.Contains(stages, stage => stage.EndsWith($" AS runtime-{backend}", StringComparison.Ordinal)));
        Assert.Contains("nvidia/cuda:", stages.Single(stage => stage.EndsWith(" AS runtime-cuda", StringComparison.Ordinal)));
        Assert.Equal("runtime-${TORCH_BACKEND}", Worker.FinalStage[0].Arguments);
        var build = Worker.Instructions.Single(line => line.Instruction == "RUN" && line.Arguments.Contains("dotnet build", StringComparison.Ordinal)).Arguments;
        Assert.Contains("-p:TorchBackend=${TORCH_BACKEND}", build);
        // The runtime's libstdc++ may be older than the SDK image's: the GLIBCXX patch must not depend on the latter.
        Assert.Contains("-p:LibTorchSharpWeakGlibcxx=true", build);
        Assert.Contains(backends, backend => Worker.Instructions[0] == new DockerInstruction("ARG", $"TORCH_BACKEND={backend}"));
    }

    [Fact]
    public void The_worker_image_carries_the_default_dataset_where_workers_look_for_it()
    {
        var folder = FashionMnistFolder().Match(Repository.Read("FoldWorker/CnnGrid.Training/Datasets/DatasetCatalog.cs")).Groups["folder"].Value;
        Assert.Contains(Worker.Arguments("COPY"), copy => copy == $"--from=dataset {folder} {folder}");
    }

    [Fact]
    public void The_build_context_leaves_out_secrets_and_what_this_machine_built()
    {
        var ignored = Repository.Read(".dockerignore").Split('\n').Select(line => line.Trim()).ToHashSet();
        Assert.Superset(new HashSet<string> { "deploy/secrets/", ".cnngrid/", "artifacts/", "**/bin/", "**/obj/", ".git" }, ignored);
        Assert.Contains("$here/secrets", Repository.Read("deploy/make-secrets.sh"));
    }

    [GeneratedRegex(@"HostLauncher\.HostDll\(""(?<project>[\w.]+)""\)")]
    private static partial Regex HostDll();

    [GeneratedRegex(@"'\$\(TorchBackend\)' == '(?<backend>\w+)'")]
    private static partial Regex TorchBackend();

    [GeneratedRegex(@"FashionMnistFolder = ""(?<folder>[^""]+)""")]
    private static partial Regex FashionMnistFolder();
}
