using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;
using CnnGrid.Abstractions.Export;
using CnnGrid.Abstractions.Scheduling;
using CnnGrid.ApiClient;
using CnnGrid.Orchestrator.Persistence;
using CnnGrid.Orchestrator.Sweeps;
using CnnGrid.Orchestrator.Tests.Persistence;
using CnnGrid.Orchestrator.Tests.Sweeps;
using Npgsql;

namespace CnnGrid.Orchestrator.Tests.Api;

[Collection(PostgresCollection.Name)]
public sealed class SweepEndpointsTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Token = "test-token-7f3a";

    // 2 dropouts × 3 folds = 6 trials.
    private const string SmallSpec = """
        { "id": "api-small", "name": "api small", "folds": 3, "epochs": 1, "model": "noop",
          "dataset": { "name": "fashion-mnist", "limit": 300 }, "grid": { "dropout": [0.2, 0.5] } }
        """;

    // torchvision's FashionMNIST.classes: what label i means in per-class accuracies and confusion matrices.
    private static readonly string[] FashionMnistClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private string connectionString = "";
    private RunningOrchestrator orchestrator = null!;

    public async Task InitializeAsync()
    {
        connectionString = await postgres.CreateMigratedDatabaseAsync();
        orchestrator = await RunningOrchestrator.StartAsync(connectionString, $"Api:Token={Token}");
    }

    public async Task DisposeAsync() => await orchestrator.DisposeAsync();

    [Fact]
    public async Task Writes_without_the_right_token_get_a_bare_401_and_change_nothing()
    {
        using var wrong = orchestrator.ClientWithToken("not-" + Token);
        foreach (var client in new[] { orchestrator.Client, wrong })
        {
            using var submit = await client.PostAsync("/api/sweeps", Json(SmallSpec));
            using var cancel = await client.DeleteAsync("/api/sweeps/api-small");
            foreach (var response in new[] { submit, cancel })
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
                var body = await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain(Token, body);
                Assert.DoesNotContain("detail", body);
            }
        }
        // Reads are open by default.
        using var list = await orchestrator.Client.GetAsync("/api/sweeps");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("[]", await list.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_invalid_spec_gets_400_problem_details_listing_every_problem()
    {
        using var client = orchestrator.ClientWithToken(Token);
        var spec = """{ "name": "bad", "folds": 1, "epochs": 0, "model": "no-such-model", "grid": { "dropout": [1.5] } }""";

        using var response = await client.PostAsync("/api/sweeps", Json(spec));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        var paths = problem.RootElement.GetProperty("errors").EnumerateArray()
            .Select(error => (error.GetProperty("path").GetString()!, error.GetProperty("message").GetString()!)).ToList();
        var expected = Specs.Problems(spec, SweepCatalog.Default);
        Assert.Equal(expected.Select(p => (p.Path, p.Message)), paths);
        Assert.Contains("folds", paths.Select(p => p.Item1));
        Assert.Contains("epochs", paths.Select(p => p.Item1));
        Assert.Contains("model", paths.Select(p => p.Item1));
        Assert.Contains(paths, p => p.Item1.StartsWith("grid.dropout"));
        Assert.Empty(await ListSweepsAsync());
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_without_being_stored()
    {
        using var client = orchestrator.ClientWithToken(Token);
        var padded = SmallSpec.TrimEnd()[..^1] + $", \"padding\": \"{new string('x', 70_000)}\" }}";

        using var response = await client.PostAsync("/api/sweeps", Json(padded));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("$", error.GetProperty("path").GetString());
        Assert.Contains("65,536", error.GetProperty("message").GetString());
        Assert.Empty(await ListSweepsAsync());
    }

    [Fact]
    public async Task A_spec_whose_trials_need_more_memory_than_every_live_worker_has_is_refused_at_submit()
    {
        const string spec = """{ "id": "too-large", "name": "too large", "model": "seed001-cnn", "batchSize": 8192, "epochs": 1 }""";
        using var client = orchestrator.ClientWithToken(Token);
        using (var check = await client.PostAsync("/api/sweeps/validate", Json(spec)))
        using (var body = JsonDocument.Parse(await check.Content.ReadAsStringAsync()))
            Assert.Equal(0, body.RootElement.GetProperty("problems").GetArrayLength());

        // A worker with 1 GiB for a trial; seed001-cnn's batches of 8,192 images need about 4 GiB.
        await orchestrator.Grains.GetGrain<ITrialSchedulerGrain>(0).Exchange(new WorkerReport("small-worker", "cpu", 1, 0, [], [], [],
            RecentImagesPerSecond: 0, MetricsUrl: null, Cores: 1, ThreadsPerSlot: 1, MemoryBytes: 1L << 30));
        using var response = await client.PostAsync("/api/sweeps", Json(spec));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("batchSize", error.GetProperty("path").GetString());
        Assert.Contains("more than the 1.0 GiB a trial may use (the memory of the largest live worker)", error.GetProperty("message").GetString());
        Assert.Empty(await ListSweepsAsync());
    }

    [Fact]
    public async Task A_request_naming_another_host_is_refused_so_a_rebound_name_cannot_reach_the_api()
    {
        foreach (var (host, expected) in new[]
        {
            ("evil.example", HttpStatusCode.BadRequest),
            ("localhost", HttpStatusCode.OK),
            (orchestrator.Client.BaseAddress!.Authority, HttpStatusCode.OK),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sweeps");
            request.Headers.Host = host;
            using var response = await orchestrator.Client.SendAsync(request);
            Assert.True(expected == response.StatusCode, $"Host {host}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task The_sweep_list_comes_newest_first_a_page_at_a_time()
    {
        using var client = orchestrator.ClientWithToken(Token);
        foreach (var id in new[] { "page-a", "page-b", "page-c" })
        {
            using var created = await client.PostAsync("/api/sweeps", Json(SmallSpec.Replace("api-small", id)));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        async Task<string[]> Page(string query) =>
            [.. JsonDocument.Parse(await orchestrator.Client.GetStringAsync("/api/sweeps" + query)).RootElement
                .EnumerateArray().Select(sweep => sweep.GetProperty("id").GetString()!)];
        Assert.Equal(["page-c", "page-b", "page-a"], await Page(""));
        Assert.Equal(["page-c", "page-b"], await Page("?limit=2"));
        Assert.Equal(["page-a"], await Page("?offset=2&limit=2"));
        using var bad = await orchestrator.Client.GetAsync("/api/sweeps?limit=1001");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("limit 1 to 1000", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Validate_counts_trials_and_lists_problems_without_storing()
    {
        var valid = await orchestrator.Client.PostAsync("/api/sweeps/validate", Json(SmallSpec));
        using (var body = JsonDocument.Parse(await valid.Content.ReadAsStringAsync()))
        {
            Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
            Assert.Equal(6, body.RootElement.GetProperty("trials").GetInt64());
            Assert.Equal(0, body.RootElement.GetProperty("problems").GetArrayLength());
        }

        var invalid = await orchestrator.Client.PostAsync("/api/sweeps/validate",
            Json("""{ "name": "x", "folds": 4, "epochs": -1, "grid": { "dropout": [0.1, 0.2, 0.3] } }"""));
        using (var body = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync()))
        {
            Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
            Assert.Equal(12, body.RootElement.GetProperty("trials").GetInt64());
            Assert.Equal("epochs", Assert.Single(body.RootElement.GetProperty("problems").EnumerateArray()).GetProperty("path").GetString());
        }
        Assert.Empty(await ListSweepsAsync());
    }

    [Fact]
    public async Task A_spec_sent_as_anything_but_JSON_gets_415_and_is_not_stored()
    {
        using var client = orchestrator.ClientWithToken(Token);
        foreach (var path in new[] { "/api/sweeps", "/api/sweeps/validate" })
        {
            using var plain = await client.PostAsync(path, new StringContent(SmallSpec, Encoding.UTF8, "text/plain"));
            using var untyped = await client.PostAsync(path, new ByteArrayContent(Encoding.UTF8.GetBytes(SmallSpec)));
            foreach (var response in new[] { plain, untyped })
            {
                Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
            using var problem = JsonDocument.Parse(await untyped.Content.ReadAsStringAsync());
            Assert.Contains("Content-Type: application/json; got none", problem.RootElement.GetProperty("detail").GetString());
        }
        Assert.Empty(await ListSweepsAsync());
    }

    [Fact]
    public async Task A_diverged_trials_NaN_loss_is_shown_as_null_not_a_500()
    {
        var sweep = await StoreWithFirstTrialCompletedAsync([Epoch(1, 0.1) with { ValidationLoss = double.NaN, TrainLoss = double.PositiveInfinity }]);

        using var view = await orchestrator.Client.GetAsync("/api/sweeps/api-small");
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        using var sweepJson = JsonDocument.Parse(await view.Content.ReadAsStringAsync());
        var measured = Assert.Single(sweepJson.RootElement.GetProperty("configs").EnumerateArray(),
            config => config.GetProperty("completedFolds").GetInt32() == 1);
        Assert.Equal(JsonValueKind.Null, measured.GetProperty("meanValidationLoss").ValueKind);
        Assert.Equal(0.1, measured.GetProperty("meanAccuracy").GetDouble(), 12);

        using var trial = await orchestrator.Client.GetAsync($"/api/trials/{sweep.Trials[0].TrialId}");
        Assert.Equal(HttpStatusCode.OK, trial.StatusCode);
        using var trialJson = JsonDocument.Parse(await trial.Content.ReadAsStringAsync());
        var epoch = Assert.Single(trialJson.RootElement.GetProperty("epochs").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, epoch.GetProperty("validationLoss").ValueKind);
        Assert.Equal(JsonValueKind.Null, epoch.GetProperty("trainLoss").ValueKind);
        Assert.Equal(0.1, epoch.GetProperty("validationAccuracy").GetDouble(), 12);
    }

    [Fact]
    public async Task Unknown_ids_and_bad_paging_answer_problem_details()
    {
        using var client = orchestrator.ClientWithToken(Token);
        foreach (var (request, status) in new (HttpRequestMessage, HttpStatusCode)[]
        {
            (new(HttpMethod.Get, "/api/sweeps/missing"), HttpStatusCode.NotFound),
            (new(HttpMethod.Get, "/api/sweeps/missing/trials"), HttpStatusCode.NotFound),
            (new(HttpMethod.Get, "/api/sweeps/missing/configs/c1/curves"), HttpStatusCode.NotFound),
            (new(HttpMethod.Get, "/api/trials/missing"), HttpStatusCode.NotFound),
            (new(HttpMethod.Delete, "/api/sweeps/missing"), HttpStatusCode.NotFound),
            (new(HttpMethod.Get, "/api/sweeps/missing/trials?limit=0"), HttpStatusCode.BadRequest),
            (new(HttpMethod.Get, "/api/sweeps/missing/trials?offset=-1"), HttpStatusCode.BadRequest),
            (new(HttpMethod.Get, "/api/sweeps/missing/trials?limit=100000"), HttpStatusCode.BadRequest),
        })
        {
            using var response = await client.SendAsync(request);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
        }
    }

    [Fact]
    public async Task Reads_show_a_stored_sweep_its_trials_page_by_page_its_curves_and_a_trial()
    {
        var sweep = await StoreWithFirstTrialCompletedAsync([Epoch(1, 0.6), Epoch(2, 0.7)]);

        using var list = JsonDocument.Parse(await orchestrator.Client.GetStringAsync("/api/sweeps"));
        var summary = Assert.Single(list.RootElement.EnumerateArray());
        Assert.Equal("api-small", summary.GetProperty("id").GetString());
        Assert.Equal("running", summary.GetProperty("state").GetString()); // enums as camelCase strings
        Assert.Equal(1, summary.GetProperty("trials").GetProperty("completed").GetInt32());

        using var view = JsonDocument.Parse(await orchestrator.Client.GetStringAsync("/api/sweeps/api-small"));
        Assert.Equal("api small", view.RootElement.GetProperty("spec").GetProperty("name").GetString());
        Assert.Equal(FashionMnistClasses, view.RootElement.GetProperty("classNames").EnumerateArray().Select(name => name.GetString()));
        var configs = view.RootElement.GetProperty("configs").EnumerateArray().ToList();
        Assert.Equal(2, configs.Count);
        var measured = Assert.Single(configs, config => config.GetProperty("completedFolds").GetInt32() == 1);
        Assert.Equal(0.7, measured.GetProperty("meanAccuracy").GetDouble(), 12);
        Assert.Equal(3, measured.GetProperty("folds").GetInt32());

        var page1 = await orchestrator.Client.GetFromJsonAsync<JsonElement>("/api/sweeps/api-small/trials?offset=0&limit=4");
        var page2 = await orchestrator.Client.GetFromJsonAsync<JsonElement>("/api/sweeps/api-small/trials?offset=4&limit=4");
        Assert.Equal(6, page1.GetProperty("total").GetInt32());
        Assert.Equal(4, page2.GetProperty("offset").GetInt32());
        var ids = page1.GetProperty("trials").EnumerateArray().Concat(page2.GetProperty("trials").EnumerateArray())
            .Select(trial => trial.GetProperty("id").GetString()).ToList();
        Assert.Equal(sweep.Trials.Select(trial => trial.TrialId), ids);

        var curves = await orchestrator.Client.GetFromJsonAsync<JsonElement>(
            $"/api/sweeps/api-small/configs/{sweep.Trials[0].ConfigId}/curves");
        Assert.Equal(3, curves.GetArrayLength());
        var curve = curves.EnumerateArray().Single(c => c.GetProperty("trialId").GetString() == sweep.Trials[0].TrialId);
        Assert.Equal("completed", curve.GetProperty("state").GetString());
        Assert.Equal([0.6, 0.7], curve.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("validationAccuracy").GetDouble()));
        Assert.All(curves.EnumerateArray().Where(c => c.GetProperty("trialId").GetString() != sweep.Trials[0].TrialId),
            c => Assert.Equal(0, c.GetProperty("epochs").GetArrayLength()));

        var trial = await orchestrator.Client.GetFromJsonAsync<JsonElement>($"/api/trials/{sweep.Trials[0].TrialId}");
        Assert.Equal(2, trial.GetProperty("epochs").GetArrayLength());
        Assert.Equal("completed", trial.GetProperty("trial").GetProperty("outcome").GetString());
        // A lease id lets a worker report for an attempt: it never leaves the cluster.
        Assert.False(trial.GetProperty("trial").TryGetProperty("leaseId", out _));
        Assert.Equal(FashionMnistClasses, trial.GetProperty("classNames").EnumerateArray().Select(name => name.GetString()));
    }

    [Fact]
    public async Task Submitting_creates_once_a_resubmit_is_idempotent_and_delete_cancels()
    {
        using var client = orchestrator.ClientWithToken(Token);
        // Cancelled before any worker exists: the trials stay queued until then.
        using var created = await client.PostAsync("/api/sweeps", Json(SmallSpec));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/sweeps/api-small", created.Headers.Location?.OriginalString);
        var first = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("api-small", 6, true), (first.GetProperty("id").GetString(), first.GetProperty("trials").GetInt32(), first.GetProperty("created").GetBoolean()));

        using var repeated = await client.PostAsync("/api/sweeps", Json(SmallSpec));
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.False((await repeated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetBoolean());
        Assert.Single(await ListSweepsAsync());

        using var cancel = await client.DeleteAsync("/api/sweeps/api-small");
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var view = await client.GetFromJsonAsync<JsonElement>("/api/sweeps/api-small");
        Assert.Equal("cancelled", view.GetProperty("summary").GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_sweeps_view_says_its_rungs_and_whether_it_refits_as_the_orchestrator_resolved_the_spec()
    {
        using var client = orchestrator.ClientWithToken(Token);
        // Halving with the defaults (eta 3, 1 to 9 epochs) refits unless told not to; a grid refits only when asked.
        using var halving = await client.PostAsync("/api/sweeps", Json(SmallSpec.Replace("\"id\": \"api-small\",", "\"id\": \"api-halving\", \"search\": { \"kind\": \"halving\" },").Replace("\"epochs\": 1,", "")));
        Assert.Equal(HttpStatusCode.Created, halving.StatusCode);
        using var grid = await client.PostAsync("/api/sweeps", Json(SmallSpec));
        Assert.Equal(HttpStatusCode.Created, grid.StatusCode);

        var halved = await client.GetFromJsonAsync<JsonElement>("/api/sweeps/api-halving");
        Assert.Equal([1, 3, 9], halved.GetProperty("rungEpochs").EnumerateArray().Select(epochs => epochs.GetInt32()));
        Assert.True(halved.GetProperty("refits").GetBoolean());
        var plain = await client.GetFromJsonAsync<JsonElement>("/api/sweeps/api-small");
        Assert.Equal(0, plain.GetProperty("rungEpochs").GetArrayLength());
        Assert.False(plain.GetProperty("refits").GetBoolean());
    }

    [Fact]
    public async Task A_spec_without_an_id_is_stored_under_the_id_the_answer_names()
    {
        using var client = orchestrator.ClientWithToken(Token);
        using var created = await client.PostAsync("/api/sweeps", Json(SmallSpec.Replace("\"id\": \"api-small\",", "")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var view = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{id}");
        Assert.Equal(6, view.GetProperty("summary").GetProperty("totalTrials").GetInt32());
        Assert.Equal(id, view.GetProperty("spec").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Serves_health_and_an_OpenAPI_document_of_every_endpoint()
    {
        using var health = await orchestrator.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("[]", await orchestrator.Client.GetStringAsync("/api/workers")); // no FoldWorker in this cluster

        var document = await orchestrator.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(path => path.Name).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "/api/sweeps", "/api/sweeps/validate", "/api/sweeps/{id}", "/api/sweeps/{id}/trials",
            "/api/sweeps/{id}/configs/{configId}/curves", "/api/trials/{id}", "/api/workers",
        }, paths);
    }

    private async Task<List<JsonElement>> ListSweepsAsync() =>
        (await orchestrator.Client.GetFromJsonAsync<List<JsonElement>>("/api/sweeps"))!;

    [Fact]
    public async Task The_refit_weights_are_served_once_the_refit_completed_as_pytorch_by_default_or_as_stored()
    {
        var sweep = await StoreWithFirstTrialCompletedAsync([Epoch(1, 0.5)]);
        var client = new OrchestratorClient(orchestrator.Client, new OrchestratorConnection(orchestrator.Client.BaseAddress!, null));
        var url = $"/api/sweeps/{sweep.Id}/refit/weights";
        await AssertNoRefitAsync(url);

        // The sweep's trial store writes the refit's row and checkpoint; a tiny TorchSharp state dict stands in for its weights.
        var checkpoint = TinyTorchSharpStateDict();
        await using var connection = await PostgresFixture.OpenAsync(connectionString);
        await connection.ExecuteAsync($"""
            INSERT INTO trials (id, sweep_id, ordinal, config_id, config, fold, seed, refit, state)
            VALUES ('refit', '{sweep.Id}', 1000, 'c', '{"{}"}', 0, 42, true, 'running');
            INSERT INTO checkpoints (trial_id, epoch, bytes) VALUES ('refit', 3, '\x{Convert.ToHexString(checkpoint)}');
            """);
        await AssertNoRefitAsync(url); // running: its checkpoint is an epoch's, not yet the last
        await connection.ExecuteAsync("UPDATE trials SET state = 'completed' WHERE id = 'refit'");

        using var pytorch = await orchestrator.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, pytorch.StatusCode);
        Assert.Equal("application/octet-stream", pytorch.Content.Headers.ContentType?.MediaType);
        Assert.Equal(WeightsFormats.Convert(checkpoint, WeightsFormat.PyTorch), await pytorch.Content.ReadAsByteArrayAsync());
        Assert.Equal(checkpoint, await orchestrator.Client.GetByteArrayAsync(url + "?format=torchsharp"));
        Assert.Equal(checkpoint, await client.GetRefitWeightsAsync(sweep.Id, WeightsFormat.TorchSharp, CancellationToken.None));
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await client.GetRefitWeightsAsync(sweep.Id, WeightsFormat.PyTorch, CancellationToken.None)));
        Assert.Contains("archive/data.pkl", zip.Entries.Select(entry => entry.FullName));

        using var unknownFormat = await orchestrator.Client.GetAsync(url + "?format=onnx");
        Assert.Equal(HttpStatusCode.BadRequest, unknownFormat.StatusCode);
        Assert.Contains("pytorch, torchsharp", await unknownFormat.Content.ReadAsStringAsync());
        using var unknownSweep = await orchestrator.Client.GetAsync("/api/sweeps/no-such-sweep/refit/weights");
        Assert.Contains("There is no sweep 'no-such-sweep'", await unknownSweep.Content.ReadAsStringAsync());

        async Task AssertNoRefitAsync(string path)
        {
            using var response = await orchestrator.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains($"Sweep '{sweep.Id}' has no completed refit", await response.Content.ReadAsStringAsync());
            var error = await Assert.ThrowsAsync<OrchestratorException>(() => client.GetRefitWeightsAsync(sweep.Id, WeightsFormat.PyTorch, CancellationToken.None));
            Assert.Contains("has no completed refit", error.Message);
        }
    }

    /// <summary>TorchSharp's Module.save of one float32 [2] entry: count, name, element type, rank, size (LEB128), elements.</summary>
    private static byte[] TinyTorchSharpStateDict()
    {
        using var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes))
        {
            writer.Write((byte)1);
            writer.Write("layers.fc0.weight");
            writer.Write([(byte)6, 1, 2]);
            writer.Write(1.5f);
            writer.Write(-2f);
        }
        return bytes.ToArray();
    }

    /// <summary>Stores the small spec on seed000-cnn with its first trial completed after <paramref name="epochs"/>.</summary>
    private async Task<ParsedSweep> StoreWithFirstTrialCompletedAsync(IReadOnlyList<EpochMetrics> epochs)
    {
        var sweep = Specs.Valid(SmallSpec.Replace("\"noop\"", "\"seed000-cnn\""));
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new TrialStore(dataSource, new TrialStoreMetrics(TestMeters.Factory));
        Assert.True(await store.InsertSweepAsync(sweep, SmallSpec));
        var first = sweep.Trials[0];
        await store.MarkRunningAsync([new TrialStart(first.TrialId, "w", 1, Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(1))]);
        await store.CompleteTrialsAsync([(first.TrialId, null, new TrialResult { Outcome = TrialOutcome.Completed, Epochs = [.. epochs], BestEpoch = epochs.Count })]);
        return sweep;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static EpochMetrics Epoch(int epoch, double accuracy) => new()
    {
        Epoch = epoch,
        TrainLoss = 1.0 / epoch,
        TrainAccuracy = accuracy,
        ValidationLoss = 1.5 / epoch,
        ValidationAccuracy = accuracy,
        PerClassAccuracy = [accuracy, accuracy],
        ConfusionMatrix = [[5, 1], [1, 5]],
        DurationSeconds = 0.5,
        ImagesPerSecond = 100,
    };
}
