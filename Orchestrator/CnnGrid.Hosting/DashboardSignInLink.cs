using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CnnGrid.Hosting;

/// <summary>
/// The dashboard's sign-in link, as Jupyter prints one: <c>/signin?code=NONCE.EXPIRES.MAC</c>, where MAC is an
/// HMAC-SHA256 of <c>NONCE.EXPIRES</c> keyed with the API token. Whoever can read the token can make one; the link
/// itself shows neither the token nor anything that outlives <see cref="Lifetime"/>, and the dashboard takes each once.
/// </summary>
public static class DashboardSignInLink
{
    public const string PagePath = "/signin";

    /// <summary>How long a printed link stays good: long enough to open it, short enough that a terminal's scrollback is harmless.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>A fresh link to <paramref name="dashboardUrl"/>'s sign-in page.</summary>
    public static string Create(string dashboardUrl, string token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(dashboardUrl);
        ArgumentNullException.ThrowIfNull(token);
        var nonce = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var expires = (now + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{dashboardUrl.TrimEnd('/')}{PagePath}?code={nonce}.{expires}.{Mac(token, nonce, expires)}";
    }

    /// <summary>
    /// The code's nonce and expiry when <paramref name="code"/> was made with <paramref name="token"/> and has not
    /// expired at <paramref name="now"/>; null otherwise. Whether it was used before is the caller's to remember.
    /// </summary>
    public static (string Nonce, DateTimeOffset Expires)? Check(string? code, string token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = code?.Split('.');
        if (parts is not [var nonce, var expires, var mac] || nonce.Length != 32
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return null;
        var expected = Encoding.ASCII.GetBytes(Mac(token, nonce, expires));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(mac)))
            return null;
        var expiry = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return expiry > now ? (nonce, expiry) : null;
    }

    private static string Mac(string token, string nonce, string expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes($"{nonce}.{expires}")));
}
