using System.Text.RegularExpressions;
using CnnGrid.Hosting;
using Microsoft.Extensions.Hosting;

namespace CnnGrid.Deploy.Tests;

public sealed partial class ComposeTests(GeneratedSecrets secrets) : IClassFixture<GeneratedSecrets>
{
    public static TheoryData<string> Variants => ["cpu", "gpu"];

    private static ComposeProject Project(string variant) => variant == "gpu" ? ComposeProject.Gpu : ComposeProject.Cpu;

    private static HostImage Image(string assembly) => HostImage.All.Single(image => image.Assembly == assembly);

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_setting_a_host_is_given_is_one_it_reads_and_every_file_a_mounted_secret(string variant)
    {
        var project = Project(variant);
        Assert.Equal(HostImage.All.Count, project.Hosts.Count);
        Assert.Empty(project.Hosts.SelectMany(host => host.Container.Problems(HostSettings.Of(host.Container.Host.Project))));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_secret_a_service_names_is_defined_and_made_by_make_secrets(string variant)
    {
        var project = Project(variant);
        var defined = project.Root.Entries("secrets").ToDictionary(secret => secret.Key, secret => secret.Value.Text("file"));
        foreach (var (name, service) in project.Services)
        {
            Assert.All(ComposeProject.MountedSecrets(service), secret => Assert.True(defined.ContainsKey(secret.Source), $"service {name} names secret {secret.Source}, which {project.Name} does not define"));
        }
        Assert.All(defined, secret => Assert.Contains(secret.Value!.Replace("./secrets/", "", StringComparison.Ordinal), secrets.Files));
        Assert.All(defined.Values, file => Assert.StartsWith("./secrets/", file));
        // The authority's key issues certificates; no container needs it.
        Assert.DoesNotContain("./secrets/cluster-authority.key", defined.Values);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Each_host_runs_the_image_its_dockerfile_builds(string variant)
    {
        var project = Project(variant);
        var version = Version(ComposeProject.Cpu.Host(Image("CnnGrid.Orchestrator.dll")).Container.ImageTag);
        foreach (var (service, container) in project.Hosts)
        {
            Assert.Equal("..", project.Service(service).Text("build", "context"));
            Assert.Equal(container.Host.Dockerfile, project.Service(service).Text("build", "dockerfile"));
            Assert.Equal(version, Version(container.ImageTag));
        }
        var worker = project.Host(Image("CnnGrid.FoldWorker.dll"));
        var backend = project.Service(worker.Service).Text("build", "args", "TORCH_BACKEND");
        Assert.Equal(variant == "gpu" ? "cuda" : "cpu", backend);
        Assert.EndsWith($"-{backend}", worker.Container.ImageTag);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Only_the_gpu_variant_reserves_gpus_for_the_workers(string variant)
    {
        var project = Project(variant);
        var worker = project.Host(Image("CnnGrid.FoldWorker.dll")).Service;
        foreach (var (name, service) in project.Services)
        {
            var gpus = service.Items("deploy", "resources", "reservations", "devices")
                .Where(device => device.Items("capabilities").Any(capability => capability.Text() == "gpu")).ToList();
            if (variant == "gpu" && name == worker)
                Assert.Single(gpus);
            else
                Assert.Empty(gpus);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_database_roles_are_least_privilege(string variant)
    {
        var project = Project(variant);
        Assert.Empty(DatabaseRoles.Problems(project.Host(Image("CnnGrid.Orchestrator.dll")).Container, project.Host(Image("CnnGrid.FoldWorker.dll")).Container, secrets));
    }

    [Fact]
    public void Hosts_reach_each_other_by_service_name_on_the_hosts_ports()
    {
        var project = ComposeProject.Cpu;
        var orchestrator = Image("CnnGrid.Orchestrator.dll");
        var url = new Uri(project.Host(Image("CnnGrid.Dashboard.dll")).Container.Environment["Orchestrator__Url"]!);
        Assert.Equal(orchestrator.ImageName, project.Service(url.Host).Text("image")!.Split(':')[0]);
        Assert.Equal(orchestrator.HttpPort, url.Port);
        foreach (var (_, container) in project.Hosts.Where(host => host.Container.Environment.ContainsKey(DeployedContainer.ConnectionStringVariable)))
        {
            Assert.StartsWith("postgres:", project.Service(container.Database.Host!).Text("image"));
            Assert.Equal(5432, container.Database.Port);
        }
        foreach (var (service, container) in project.Hosts)
        {
            Assert.All(project.Service(service).Items("ports"), port => Assert.Matches($@"^127\.0\.0\.1:\d+:{container.Host.HttpPort}$", port.Text()));
        }
    }

    [Fact]
    public void Silos_are_given_longer_to_stop_than_the_hosts_allow_their_shutdown()
    {
        var shutdown = new HostOptions().ShutdownTimeout;
        var project = ComposeProject.Cpu;
        foreach (var (service, container) in project.Hosts.Where(host => host.Container.Host.IsSilo))
        {
            var grace = project.Service(service).Text("stop_grace_period");
            Assert.True(grace is not null && Seconds(grace) > shutdown, $"{container.Name}: stop_grace_period {grace ?? "(Docker's 10 s)"} is not above the host's {shutdown}");
        }
    }

    [Fact]
    public void Prometheus_scrapes_every_host_under_the_shipped_configurations_job_and_roles()
    {
        var project = ComposeProject.Cpu;
        var prometheus = project.Service("prometheus");
        var config = prometheus.Items("command").Select(argument => argument.Text()!).Single(argument => argument.StartsWith("--config.file=", StringComparison.Ordinal))["--config.file=".Length..];
        var mounted = prometheus.Items("volumes").Select(volume => volume.Text()!.Split(':')).Single(volume => volume[1] == config)[0];
        var job = YamlNodes.Documents(File.ReadAllText(Path.Combine(Repository.PathOf(ComposeProject.Folder), mounted))).Single().Items("scrape_configs").Single();
        var shipped = YamlNodes.Documents(Repository.Read("deploy/prometheus/prometheus.yml")).Single().Items("scrape_configs").Single();
        Assert.Equal(shipped.Text("job_name"), job.Text("job_name"));
        Assert.Equal(MetricsHosting.ScrapePath, job.Text("metrics_path"));

        var scraped = job.Items("static_configs").SelectMany(group => group.Items("targets").Select(target => (Target: target.Text()!, Role: group.Text("labels", "role"))))
            .Concat(job.Items("dns_sd_configs").SelectMany(dns => dns.Items("names").Select(name => (Target: $"{name.Text()}:{dns.Text("port")}", Role: RoleOf(job, name.Text()!)))))
            .ToList();
        foreach (var (service, container) in project.Hosts)
        {
            Assert.Contains(scraped, target => target.Target == $"{service}:{container.Host.HttpPort}" && target.Role == service);
        }
    }

    [Fact]
    public void Grafana_loads_the_shipped_dashboard_on_the_provisioned_data_source()
    {
        var grafana = ComposeProject.Cpu.Service("grafana");
        var start = grafana.Items("entrypoint").Last().Text()!;
        var source = YamlNodes.Documents(Repository.Read("deploy/grafana/provisioning/datasources/prometheus.yaml")).Single().Items("datasources").Single();
        var provider = YamlNodes.Documents(Repository.Read("deploy/grafana/provisioning/dashboards/cnngrid.yaml")).Single().Items("providers").Single();
        Assert.Contains($"s/$${{DS_PROMETHEUS}}/{source.Text("uid")}/g", start);
        Assert.Contains($"> {provider.Text("options", "path")}/cnngrid.json", start);
        Assert.Equal("http://prometheus:9090", source.Text("url"));
        Assert.Contains(grafana.Items("volumes"), volume => volume.Text() == "./grafana/cnngrid.json:/etc/grafana/cnngrid.json:ro");
        Assert.Contains(grafana.Items("volumes"), volume => volume.Text() == "./grafana/provisioning:/etc/grafana/provisioning:ro");
    }

    /// <summary>The role a relabelling gives the targets a DNS name finds.</summary>
    private static string? RoleOf(YamlDotNet.RepresentationModel.YamlNode job, string name) => job.Items("relabel_configs")
        .Where(rule => rule.Text("target_label") == "role" && rule.Items("source_labels").Any(label => label.Text() == "__meta_dns_name") && Regex.IsMatch(name, $"^(?:{rule.Text("regex")})$"))
        .Select(rule => rule.Text("replacement")).FirstOrDefault();

    /// <summary>The version part of a tag: <c>0.1.0</c> of <c>0.1.0-cpu</c>.</summary>
    private static string Version(string tag) => tag.Split('-')[0];

    private static TimeSpan Seconds(string duration) => DurationPattern().Match(duration) is { Success: true } match
        ? TimeSpan.FromSeconds(int.Parse(match.Groups["value"].Value) * (match.Groups["unit"].Value == "m" ? 60 : 1))
        : throw new FormatException($"'{duration}' is not a duration of s or m");

    [GeneratedRegex(@"^(?<value>\d+)(?<unit>[sm])$")]
    private static partial Regex DurationPattern();
}
