using Microsoft.Extensions.Configuration;

namespace CnnGrid.Hosting;

/// <summary>
/// The API's bearer token as every host and client reads it: <c>Api:Token</c>, or the first line of the file
/// <c>Api:TokenFile</c> (a mounted secret, or the local stack's <c>.cnngrid/token</c>).
/// </summary>
public static class ApiTokenSetting
{
    public const string TokenKey = "Api:Token";
    public const string TokenFileKey = "Api:TokenFile";

    /// <summary>The configured token, or null when neither key is set.</summary>
    /// <exception cref="InvalidOperationException">Both keys are set, or the file is missing or empty.</exception>
    public static string? Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var token = configuration[TokenKey];
        var file = configuration[TokenFileKey];
        if (!string.IsNullOrEmpty(token) && !string.IsNullOrEmpty(file))
            throw new InvalidOperationException($"{TokenKey} and {TokenFileKey} are both set: give one of them.");
        if (!string.IsNullOrEmpty(file))
            return ReadFile(file, TokenFileKey);
        return string.IsNullOrWhiteSpace(token) ? null : token.Trim();
    }

    /// <summary>The token in the first line of <paramref name="path"/>.</summary>
    /// <param name="setting">What named the file, said in the errors.</param>
    /// <exception cref="InvalidOperationException">The file is missing or its first line is empty.</exception>
    public static string ReadFile(string path, string setting)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"{setting} {path} does not exist.");
        var token = File.ReadLines(path).FirstOrDefault()?.Trim();
        return string.IsNullOrEmpty(token)
            ? throw new InvalidOperationException($"{setting} {path} is empty: its first line must be the token.")
            : token;
    }
}
