using System.Net;
using CnnGrid.Orchestrator.Tests.Persistence;

namespace CnnGrid.Orchestrator.Tests.Api;

[Collection(PostgresCollection.Name)]
public sealed class ProtectedReadsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task With_protected_reads_every_api_read_needs_the_token_from_the_token_file_but_health_does_not()
    {
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, "file-token-91c2\n");
        try
        {
            await using var orchestrator = await RunningOrchestrator.StartAsync(
                await postgres.CreateMigratedDatabaseAsync(), $"Api:TokenFile={tokenFile}", "Api:ProtectReads=true");
            using var withToken = orchestrator.ClientWithToken("file-token-91c2");

            foreach (var path in new[] { "/api/sweeps", "/api/workers", "/api/sweeps/x", "/api/trials/x" })
            {
                using var refused = await orchestrator.Client.GetAsync(path);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }
            using var allowed = await withToken.GetAsync("/api/sweeps");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            using var missing = await withToken.GetAsync("/api/sweeps/x");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            using var health = await orchestrator.Client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }
}
