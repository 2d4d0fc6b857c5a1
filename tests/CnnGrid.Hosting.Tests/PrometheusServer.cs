using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace CnnGrid.Hosting.Tests;

/// <summary>
/// Debian's <c>/usr/bin/prometheus</c> on a free loopback port, with its configuration, target files and storage in
/// a temporary folder that <see cref="DisposeAsync"/> deletes after stopping the server.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string Executable = "/usr/bin/prometheus";

    private readonly Process process;
    private readonly DirectoryInfo folder;
    private readonly HttpClient http;
    private readonly Task<string> errors;

    private PrometheusServer(Process process, DirectoryInfo folder, Uri address)
    {
        this.process = process;
        this.folder = folder;
        http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        // Prometheus logs to stderr; keep it for the message when it fails to start.
        errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
    }

    public Uri Address => http.BaseAddress!;

    /// <summary>
    /// Writes <paramref name="configYaml"/> as <c>prometheus.yml</c> and each of <paramref name="files"/> (paths
    /// relative to it, e.g. file_sd target lists), starts Prometheus and waits until it reports ready.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(string configYaml, IReadOnlyDictionary<string, string> files)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install Debian's prometheus package (./cnngrid test does).");
        }
        var folder = Directory.CreateTempSubdirectory("cnngrid-prometheus-");
        var configFile = Path.Combine(folder.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, configYaml);
        foreach (var (path, content) in files)
        {
            await WriteAtomicallyAsync(Path.Combine(folder.FullName, path), content);
        }

        var address = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder.FullName,
        };
        start.ArgumentList.Add($"--config.file={configFile}");
        start.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(folder.FullName, "data")}");
        start.ArgumentList.Add($"--web.listen-address={address.Authority}");
        var server = new PrometheusServer(Process.Start(start)!, folder, address);
        try
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The active targets with their last scrape's health.</summary>
    public async Task<IReadOnlyList<ScrapeTarget>> GetTargetsAsync()
    {
        using var document = await GetDataAsync("api/v1/targets?state=active");
        return document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Select(target => new ScrapeTarget(
                target.GetProperty("scrapeUrl").GetString()!,
                target.GetProperty("health").GetString()!,
                target.GetProperty("lastError").GetString()!,
                Labels(target.GetProperty("labels"))))
            .ToList();
    }

    /// <summary>Evaluates a PromQL instant query whose result is a vector.</summary>
    public async Task<IReadOnlyList<Sample>> QueryAsync(string promQl)
    {
        using var document = await GetDataAsync($"api/v1/query?query={Uri.EscapeDataString(promQl)}");
        var data = document.RootElement.GetProperty("data");
        var resultType = data.GetProperty("resultType").GetString();
        if (resultType != "vector")
        {
            throw new InvalidOperationException($"Prometheus answered '{promQl}' with a {resultType}, not a vector.");
        }
        return data.GetProperty("result").EnumerateArray()
            .Select(series => new Sample(
                Labels(series.GetProperty("metric")),
                double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitForAsync(string what, TimeSpan timeout, Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.");
            }
            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
        process.Dispose();
        folder.Delete(recursive: true);
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        await WaitForAsync("Prometheus to report ready", timeout, async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"Prometheus exited with code {process.ExitCode} while starting:\n{await errors}");
            }
            try
            {
                using var response = await http.GetAsync("-/ready");
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false; // not listening yet
            }
        });
    }

    private async Task<JsonDocument> GetDataAsync(string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Prometheus answered GET /{path} with {(int)response.StatusCode}: {body}");
        }
        return JsonDocument.Parse(body);
    }

    private static Dictionary<string, string> Labels(JsonElement labels) =>
        labels.EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString()!);

    private static async Task WriteAtomicallyAsync(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written aside and renamed, so file-based discovery never reads half a file.
        await File.WriteAllTextAsync(path + ".tmp", content);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
