using System.Security.Cryptography;
using System.Text;
using CnnGrid.Hosting;

namespace CnnGrid.Orchestrator.Api;

/// <summary>
/// The bearer token the API asks for (<c>Api:Token</c>, or the first line of the file <c>Api:TokenFile</c>).
/// Mutating calls always need it once configured; <c>Api:ProtectReads=true</c> extends that to reads.
/// </summary>
public sealed class ApiToken
{
    private readonly byte[]? digest;

    private ApiToken(string? token, bool protectReads)
    {
        digest = token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
        ProtectReads = protectReads && token is not null;
    }

    /// <summary>Whether a token is configured at all (without one the API is open).</summary>
    public bool IsRequired => digest is not null;

    public bool ProtectReads { get; }

    /// <exception cref="InvalidOperationException">The token file is missing or empty, or both keys are set.</exception>
    public static ApiToken FromConfiguration(IConfiguration configuration) =>
        new(ApiTokenSetting.Read(configuration), configuration.GetValue<bool>("Api:ProtectReads"));

    /// <summary>Whether an <c>Authorization</c> header carries the token; always true when none is configured.</summary>
    public bool Accepts(string? authorization)
    {
        if (digest is null)
        {
            return true;
        }
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // Comparing fixed-length digests in constant time reveals neither the token's content nor its length.
        var offered = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(offered, digest);
    }
}
