using CnnGrid.ApiClient;
using Microsoft.Extensions.Configuration;

namespace CnnGrid.Dashboard.Tests.Api;

public sealed class OrchestratorConnectionTests : IDisposable
{
    readonly string tokenFile = Path.GetTempFileName();

    static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(pair => pair.Key, pair => (string?)pair.Value)).Build();

    [Fact]
    public void Reads_the_url_and_a_token_file_trimmed()
    {
        File.WriteAllText(tokenFile, "  secret-from-file\n");
        var connection = OrchestratorConnection.Read(Settings(("Orchestrator:Url", "http://orchestrator:5000"), ("Api:TokenFile", tokenFile)));
        Assert.Equal(new Uri("http://orchestrator:5000"), connection.BaseAddress);
        Assert.Equal("secret-from-file", connection.Token);
    }

    [Fact]
    public void No_token_is_fine_for_an_orchestrator_without_one()
    {
        Assert.Null(OrchestratorConnection.Read(Settings(("Orchestrator:Url", "http://localhost:5000"))).Token);
        Assert.Equal("inline", OrchestratorConnection.Read(Settings(("Orchestrator:Url", "http://localhost:5000"), ("Api:Token", "inline"))).Token);
    }

    [Theory]
    [InlineData(null, "Orchestrator:Url is not set")]
    [InlineData("localhost:5000", "not an absolute http or https address")]
    [InlineData("ftp://host/", "not an absolute http or https address")]
    public void A_bad_url_names_the_setting(string? url, string message)
    {
        var settings = url is null ? Settings() : Settings(("Orchestrator:Url", url));
        var failure = Assert.Throws<InvalidOperationException>(() => OrchestratorConnection.Read(settings));
        Assert.Contains(message, failure.Message);
    }

    [Fact]
    public void A_missing_token_file_is_named()
    {
        var missing = tokenFile + ".missing";
        var failure = Assert.Throws<InvalidOperationException>(() =>
            OrchestratorConnection.Read(Settings(("Orchestrator:Url", "http://localhost:5000"), ("Api:TokenFile", missing))));
        Assert.Contains(missing, failure.Message);
    }

    [Fact]
    public void Token_and_token_file_together_are_ambiguous()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => OrchestratorConnection.Read(Settings(
            ("Orchestrator:Url", "http://localhost:5000"), ("Api:Token", "a"), ("Api:TokenFile", tokenFile))));
        Assert.Contains("both set", failure.Message);
    }

    public void Dispose() => File.Delete(tokenFile);
}
