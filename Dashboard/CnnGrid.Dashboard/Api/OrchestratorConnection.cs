namespace CnnGrid.Dashboard.Api;

/// <summary>Where the orchestrator's HTTP API is and the token its mutating calls need. Server-side only.</summary>
/// <param name="Token">Bearer token for submit and cancel; null when the orchestrator has none.</param>
public sealed record OrchestratorConnection(Uri BaseAddress, string? Token)
{
    /// <summary>Reads <c>Orchestrator:Url</c> and either <c>Api:Token</c> or <c>Api:TokenFile</c> (a file holding the token).</summary>
    public static OrchestratorConnection Read(IConfiguration configuration)
    {
        var url = configuration["Orchestrator:Url"];
        if (string.IsNullOrWhiteSpace(url))
            throw new InvalidOperationException(
                "Orchestrator:Url is not set: give the orchestrator's HTTP address, e.g. --Orchestrator:Url=http://localhost:5000");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            throw new InvalidOperationException($"Orchestrator:Url '{url}' is not an absolute http or https address");
        return new OrchestratorConnection(address, ReadToken(configuration));
    }

    static string? ReadToken(IConfiguration configuration)
    {
        var token = configuration["Api:Token"];
        var file = configuration["Api:TokenFile"];
        if (!string.IsNullOrEmpty(token) && !string.IsNullOrEmpty(file))
            throw new InvalidOperationException("Api:Token and Api:TokenFile are both set: give one of them");
        if (string.IsNullOrEmpty(file))
            return string.IsNullOrWhiteSpace(token) ? null : token.Trim();
        if (!File.Exists(file))
            throw new InvalidOperationException($"Api:TokenFile '{file}' does not exist");
        var fromFile = File.ReadAllText(file).Trim();
        if (fromFile.Length == 0)
            throw new InvalidOperationException($"Api:TokenFile '{file}' is empty");
        return fromFile;
    }
}
