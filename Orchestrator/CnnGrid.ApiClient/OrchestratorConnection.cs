using CnnGrid.Hosting;
using Microsoft.Extensions.Configuration;

namespace CnnGrid.ApiClient;

/// <summary>Where the orchestrator's HTTP API is and the token it asks for. Server-side only: the token never reaches a browser.</summary>
/// <param name="Token">The bearer token sent with every call; null when the orchestrator has none.</param>
/// <param name="TokenSource">Where the token came from, said when the orchestrator refuses it (what to fix).</param>
public sealed record OrchestratorConnection(Uri BaseAddress, string? Token, string TokenSource = "set Api:Token or Api:TokenFile")
{
    /// <summary>Reads <c>Orchestrator:Url</c> and either <c>Api:Token</c> or <c>Api:TokenFile</c> (<see cref="ApiTokenSetting"/>).</summary>
    /// <exception cref="InvalidOperationException">The URL is missing or not http(s), or the token settings are wrong.</exception>
    public static OrchestratorConnection Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var url = configuration["Orchestrator:Url"];
        if (string.IsNullOrWhiteSpace(url))
            throw new InvalidOperationException(
                "Orchestrator:Url is not set: give the orchestrator's HTTP address, e.g. --Orchestrator:Url=http://localhost:5000");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            throw new InvalidOperationException($"Orchestrator:Url '{url}' is not an absolute http or https address");
        return new OrchestratorConnection(address, ApiTokenSetting.Read(configuration));
    }
}
