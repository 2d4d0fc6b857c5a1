using Npgsql;

namespace CnnGrid.Stack;

/// <summary>
/// A stack's database as a URL (<c>postgresql://USER:PASSWORD@HOST:PORT/DATABASE</c>, as a join file holds it; <c>db-url</c>
/// prints it without the password), turned into a connection string.
/// </summary>
public static class DatabaseUrl
{
    private const int DefaultPort = 5432;

    /// <exception cref="ArgumentException">The URL is malformed or has no password (the message never repeats the URL, which may hold one).</exception>
    public static NpgsqlConnectionStringBuilder ToConnectionString(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres") || uri.Host.Length == 0)
        {
            throw new ArgumentException(
                $"the database URL is not like postgresql://{LocalPostgres.WorkerRole}:PASSWORD@HOST:PORT/{LocalPostgres.DatabaseName}");
        }
        var userInfo = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.IdnHost,
            Port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port,
            Username = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : LocalPostgres.WorkerRole,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } database ? Uri.UnescapeDataString(database) : LocalPostgres.DatabaseName,
            Password = userInfo.Length == 2 ? Uri.UnescapeDataString(userInfo[1]) : null,
        };
        return string.IsNullOrEmpty(builder.Password)
            ? throw new ArgumentException($"the database URL has no password for {builder.Username}@{builder.Host}")
            : builder;
    }
}
