using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CnnGrid.Abstractions.Export;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.Abstractions.Views;
using CnnGrid.Hosting;

namespace CnnGrid.ApiClient;

/// <summary>
/// The orchestrator's HTTP API, typed: the one client of the CLI, the dashboard and the tests. Sends the connection's
/// token with every call (reads too, so <c>Api:ProtectReads</c> works), and turns an error answer (RFC 7807 problem
/// details) into an <see cref="OrchestratorException"/> naming the call and every problem listed.
/// </summary>
public sealed class OrchestratorClient(HttpClient http, OrchestratorConnection connection) : IDisposable
{
    private bool ownsHttp;

    /// <summary>A client with an <see cref="HttpClient"/> of its own, disposed with it (the CLI's; the dashboard's comes from its HTTP client factory).</summary>
    public static OrchestratorClient Create(OrchestratorConnection connection, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new OrchestratorClient(new HttpClient(LoopbackOwnerCheck.Handler()) { BaseAddress = connection.BaseAddress, Timeout = timeout }, connection) { ownsHttp = true };
    }

    /// <summary>Whether the orchestrator answers <see cref="HealthHosting.HealthPath"/>; false while nothing listens.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellation)
    {
        try
        {
            using var response = await http.SendAsync(Request(HttpMethod.Get, HealthHosting.HealthPath.TrimStart('/'), null), cancellation);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<SweepSummary>> GetSweepsAsync(CancellationToken cancellation) =>
        await GetAsync<List<SweepSummary>>("api/sweeps", cancellation);

    public Task<SweepView> GetSweepAsync(string sweepId, CancellationToken cancellation) =>
        GetAsync<SweepView>($"api/sweeps/{Escape(sweepId)}", cancellation);

    /// <summary>One page of the sweep's trials in plan order.</summary>
    public Task<TrialPage> GetTrialsAsync(string sweepId, int offset, int limit, CancellationToken cancellation) =>
        GetAsync<TrialPage>($"api/sweeps/{Escape(sweepId)}/trials?offset={offset}&limit={limit}", cancellation);

    /// <summary>Every trial of the sweep in plan order, read a page at a time.</summary>
    public async Task<IReadOnlyList<TrialRecord>> GetAllTrialsAsync(string sweepId, CancellationToken cancellation)
    {
        const int pageSize = 1000;
        var trials = new List<TrialRecord>();
        while (true)
        {
            var page = await GetTrialsAsync(sweepId, trials.Count, pageSize, cancellation);
            trials.AddRange(page.Trials);
            if (trials.Count >= page.Total || page.Trials.Count == 0)
                return trials;
        }
    }

    /// <summary>Every trial of one configuration with its epochs: the configuration's learning curves.</summary>
    public async Task<IReadOnlyList<TrialCurve>> GetCurvesAsync(string sweepId, string configId, CancellationToken cancellation) =>
        await GetAsync<List<TrialCurve>>($"api/sweeps/{Escape(sweepId)}/configs/{Escape(configId)}/curves", cancellation);

    public Task<TrialDetail> GetTrialAsync(string trialId, CancellationToken cancellation) =>
        GetAsync<TrialDetail>($"api/trials/{Escape(trialId)}", cancellation);

    public async Task<IReadOnlyList<WorkerStatus>> GetWorkersAsync(CancellationToken cancellation) =>
        await GetAsync<List<WorkerStatus>>("api/workers", cancellation);

    /// <summary>Asks how many trials <paramref name="specJson"/> expands to and what is wrong with it; submits nothing.</summary>
    public async Task<SpecValidation> ValidateAsync(string specJson, CancellationToken cancellation)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Post, "api/sweeps/validate", specJson), cancellation);
        // Some servers answer an invalid spec with 400 and the same body: both carry the check.
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.BadRequest))
            throw await FailureAsync(response, cancellation);
        return await ReadAsync<SpecValidation>(response, cancellation);
    }

    /// <summary>Submits a sweep: the accepted sweep, or the problems the orchestrator rejected the spec for.</summary>
    public async Task<SubmitOutcome> SubmitAsync(string specJson, CancellationToken cancellation)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Post, "api/sweeps", specJson), cancellation);
        if (response.StatusCode == HttpStatusCode.BadRequest)
            return new SubmitOutcome(null, (await FailureAsync(response, cancellation)).Problems);
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, cancellation);
        return new SubmitOutcome(await ReadAsync<SubmitResult>(response, cancellation), []);
    }

    /// <summary>The weights of the sweep's completed refit in <paramref name="format"/>; an error (404) while it has none.</summary>
    public async Task<byte[]> GetRefitWeightsAsync(string sweepId, WeightsFormat format, CancellationToken cancellation)
    {
        var path = $"api/sweeps/{Escape(sweepId)}/refit/weights?format={WeightsFormats.Name(format)}";
        using var response = await http.SendAsync(Request(HttpMethod.Get, path, null), cancellation);
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, cancellation);
        return await response.Content.ReadAsByteArrayAsync(cancellation);
    }

    /// <summary>Asks the orchestrator to cancel a sweep; it stops the sweep's trials in the background.</summary>
    public async Task CancelAsync(string sweepId, CancellationToken cancellation)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Delete, $"api/sweeps/{Escape(sweepId)}", null), cancellation);
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, cancellation);
    }

    public void Dispose()
    {
        if (ownsHttp)
            http.Dispose();
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellation)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Get, path, null), cancellation);
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, cancellation);
        return await ReadAsync<T>(response, cancellation);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string? json)
    {
        var request = new HttpRequestMessage(method, path)
        {
            Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (connection.Token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", connection.Token);
        return request;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellation) =>
        await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellation)
        ?? throw new OrchestratorException(response.StatusCode, $"{Describe(response)} answered with an empty body");

    /// <summary>
    /// The error answer as one exception: the call, the status, the problem details' title or detail, and each of its
    /// <c>errors</c> on a line of its own; a body that is not problem details is quoted (its first 300 characters).
    /// </summary>
    private async Task<OrchestratorException> FailureAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            return new OrchestratorException(response.StatusCode,
                $"{Describe(response)}: the orchestrator refused the API token (401; {connection.TokenSource})");
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        var said = status;
        var body = await response.Content.ReadAsStringAsync(cancellation);
        List<SpecProblem> problems = [];
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var title = root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var detail = root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            if ((detail ?? title) is { } summary)
                said = $"{status}: {summary}";
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                problems = errors.Deserialize<List<SpecProblem>>(ApiJson.Options) ?? [];
        }
        catch (JsonException)
        {
            if (body.Length > 0)
                said = $"{status} — {(body.Length > 300 ? body[..300] + "…" : body)}";
        }
        // A refused spec without a list of errors is still one problem, of the whole document.
        if (problems.Count == 0 && response.StatusCode == HttpStatusCode.BadRequest)
            problems = [new SpecProblem("$", said)];
        var message = new StringBuilder($"{Describe(response)}: {said}");
        foreach (var problem in problems.Where(problem => problem.Message != said))
            message.Append($"\n  {problem.Path}: {problem.Message}");
        return new OrchestratorException(response.StatusCode, message.ToString(), problems);
    }

    private static string Describe(HttpResponseMessage response) =>
        $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}";

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
