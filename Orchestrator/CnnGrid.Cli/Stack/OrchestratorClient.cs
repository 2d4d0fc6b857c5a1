using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Abstractions.Views;
using CnnGrid.Cli.Terminal;
using CnnGrid.Hosting;

namespace CnnGrid.Cli.Stack;

/// <summary>The orchestrator's HTTP API as the CLI uses it, with the stack's bearer token on every call.</summary>
internal sealed class OrchestratorClient : IDisposable
{
    private readonly HttpClient http;

    public OrchestratorClient(string baseUrl, string? token)
    {
        http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>The client of the stack <c>up</c> started in <paramref name="home"/>.</summary>
    /// <exception cref="StackException">The stack is not up.</exception>
    public static OrchestratorClient For(StackHome home) =>
        new(StackStateFile.Read(home)?.Orchestrator.Url
            ?? throw new StackException($"the stack in {home.Root} is not up: start it with `./cnngrid up`"),
            home.ReadToken());

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(HealthHosting.HealthPath, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <exception cref="StackException">The orchestrator rejected the spec; the message lists every problem.</exception>
    public async Task<SubmitResult> SubmitAsync(string specJson, string specName, CancellationToken cancellationToken)
    {
        using var content = new StringContent(specJson, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/sweeps", content, cancellationToken);
        return await ReadAsync<SubmitResult>(response, specName, cancellationToken);
    }

    public async Task<IReadOnlyList<SweepSummary>> ListSweepsAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/api/sweeps", cancellationToken);
        return await ReadAsync<List<SweepSummary>>(response, "sweeps", cancellationToken);
    }

    public async Task<SweepView> GetSweepAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/sweeps/{Uri.EscapeDataString(id)}", cancellationToken);
        return await ReadAsync<SweepView>(response, $"sweep {id}", cancellationToken);
    }

    public async Task<TrialPage> GetTrialsAsync(string id, int offset, int limit, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/sweeps/{Uri.EscapeDataString(id)}/trials?offset={offset}&limit={limit}", cancellationToken);
        return await ReadAsync<TrialPage>(response, $"sweep {id}", cancellationToken);
    }

    /// <summary>Every trial of the sweep in plan order, read a page at a time.</summary>
    public async Task<IReadOnlyList<TrialRecord>> GetAllTrialsAsync(string id, CancellationToken cancellationToken)
    {
        const int pageSize = 1000;
        var trials = new List<TrialRecord>();
        while (true)
        {
            var page = await GetTrialsAsync(id, trials.Count, pageSize, cancellationToken);
            trials.AddRange(page.Trials);
            if (trials.Count >= page.Total || page.Trials.Count == 0)
                return trials;
        }
    }

    public async Task CancelAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync($"/api/sweeps/{Uri.EscapeDataString(id)}", cancellationToken);
        await EnsureSuccessAsync(response, $"sweep {id}", cancellationToken);
    }

    public async Task<IReadOnlyList<WorkerStatus>> GetWorkersAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/api/workers", cancellationToken);
        return await ReadAsync<List<WorkerStatus>>(response, "workers", cancellationToken);
    }

    public void Dispose() => http.Dispose();

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string subject, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, subject, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(CliJson.Options, cancellationToken)
            ?? throw new StackException($"{subject}: the orchestrator answered {(int)response.StatusCode} with an empty body");
    }

    /// <summary>Turns an error answer (RFC 7807 problem details) into one message naming the subject and every listed problem.</summary>
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string subject, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new StackException($"{subject}: the orchestrator refused the API token (401); is this the stack's --home?");
        }
        var message = new StringBuilder($"{subject}: {(int)response.StatusCode} {response.ReasonPhrase}");
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = problem.RootElement;
            if (root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                message.Append($": {detail.GetString()}");
            }
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in errors.EnumerateArray())
                {
                    message.Append($"\n  {error.GetProperty("path").GetString()}: {error.GetProperty("message").GetString()}");
                }
            }
        }
        catch (JsonException)
        {
            // Not problem details: the status line says enough.
        }
        throw new StackException(message.ToString());
    }
}
