using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CnnGrid.Abstractions.Scheduling;

namespace CnnGrid.Dashboard.Api;

/// <summary>
/// The orchestrator's HTTP API, typed. Runs in the server circuit only: the token it sends with mutating calls
/// never reaches the browser.
/// </summary>
public sealed class OrchestratorClient(HttpClient http, OrchestratorConnection connection)
{
    public async Task<IReadOnlyList<SweepSummary>> GetSweepsAsync(CancellationToken cancellation) =>
        await GetAsync<List<SweepSummary>>("api/sweeps", cancellation);

    public Task<SweepView> GetSweepAsync(string sweepId, CancellationToken cancellation) =>
        GetAsync<SweepView>($"api/sweeps/{Escape(sweepId)}", cancellation);

    /// <summary>One page of the sweep's trials in plan order.</summary>
    public Task<TrialPage> GetTrialsAsync(string sweepId, int offset, int limit, CancellationToken cancellation) =>
        GetAsync<TrialPage>($"api/sweeps/{Escape(sweepId)}/trials?offset={offset}&limit={limit}", cancellation);

    /// <summary>Every trial of one configuration with its epochs: the configuration's learning curves.</summary>
    public async Task<IReadOnlyList<TrialCurve>> GetCurvesAsync(string sweepId, string configId, CancellationToken cancellation) =>
        await GetAsync<List<TrialCurve>>($"api/sweeps/{Escape(sweepId)}/configs/{Escape(configId)}/curves", cancellation);

    public Task<TrialDetail> GetTrialAsync(string trialId, CancellationToken cancellation) =>
        GetAsync<TrialDetail>($"api/trials/{Escape(trialId)}", cancellation);

    public async Task<IReadOnlyList<WorkerStatus>> GetWorkersAsync(CancellationToken cancellation) =>
        await GetAsync<List<WorkerStatus>>("api/workers", cancellation);

    /// <summary>Asks how many trials <paramref name="specJson"/> expands to and what is wrong with it; submits nothing.</summary>
    public async Task<SpecCheck> ValidateAsync(string specJson, CancellationToken cancellation)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Post, "api/sweeps/validate", specJson), cancellation);
        // Some servers answer an invalid spec with 400 and the same body: both carry the check.
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.BadRequest))
            throw await FailureAsync(response, cancellation);
        return await ReadAsync<SpecCheck>(response, cancellation);
    }

    /// <summary>Submits a sweep: the accepted sweep, or the problems the orchestrator rejected the spec for.</summary>
    public async Task<SubmitOutcome> SubmitAsync(string specJson, CancellationToken cancellation)
    {
        using var response = await http.SendAsync(Authorized(Request(HttpMethod.Post, "api/sweeps", specJson)), cancellation);
        if (response.StatusCode == HttpStatusCode.BadRequest)
            return new SubmitOutcome(null, await ReadProblemsAsync(response, cancellation));
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, cancellation);
        return new SubmitOutcome(await ReadAsync<SubmitResult>(response, cancellation), []);
    }

    /// <summary>Asks the orchestrator to cancel a sweep; it stops the sweep's trials in the background.</summary>
    public async Task CancelAsync(string sweepId, CancellationToken cancellation)
    {
        using var response = await http.SendAsync(Authorized(Request(HttpMethod.Delete, $"api/sweeps/{Escape(sweepId)}", null)), cancellation);
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, cancellation);
    }

    async Task<T> GetAsync<T>(string path, CancellationToken cancellation)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Get, path, null), cancellation);
        if (!response.IsSuccessStatusCode)
            throw await FailureAsync(response, cancellation);
        return await ReadAsync<T>(response, cancellation);
    }

    static HttpRequestMessage Request(HttpMethod method, string path, string? json) => new(method, path)
    {
        Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
    };

    HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        if (connection.Token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", connection.Token);
        return request;
    }

    static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellation) =>
        await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellation)
        ?? throw new OrchestratorException(response.StatusCode, $"{Describe(response)} answered with an empty body");

    /// <summary>A 400's problem details: their <c>errors</c> list, else their title and detail as one problem.</summary>
    static async Task<IReadOnlyList<SpecProblem>> ReadProblemsAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellation), cancellationToken: cancellation);
        if (body.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            return errors.Deserialize<List<SpecProblem>>(ApiJson.Options) ?? [];
        var title = body.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
        var detail = body.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        return [new SpecProblem("$", string.Join(": ", new[] { title, detail }.Where(text => !string.IsNullOrEmpty(text))))];
    }

    static async Task<OrchestratorException> FailureAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            return new OrchestratorException(response.StatusCode,
                $"{Describe(response)}: the orchestrator refused the dashboard's API token (set Api:Token or Api:TokenFile)");
        var body = await response.Content.ReadAsStringAsync(cancellation);
        var said = body.Length > 300 ? body[..300] + "…" : body;
        return new OrchestratorException(response.StatusCode,
            $"{Describe(response)}: {(int)response.StatusCode} {response.ReasonPhrase}{(said.Length > 0 ? " — " + said : "")}");
    }

    static string Describe(HttpResponseMessage response) =>
        $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}";

    static string Escape(string segment) => Uri.EscapeDataString(segment);
}
