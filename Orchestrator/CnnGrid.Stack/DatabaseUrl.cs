using Npgsql;

namespace CnnGrid.Stack;

/// <summary>A stack's database as <c>db-url</c> prints it (<c>postgresql://USER@HOST:PORT/DATABASE</c>), turned into a connection string.</summary>
public static class DatabaseUrl
{
    private const int DefaultPort = 5432;

    /// <param name="url">The URL; a password in it wins over <paramref name="password"/>.</param>
    /// <param name="password">The password when the URL has none.</param>
    /// <exception cref="ArgumentException">The URL is malformed, or there is no password.</exception>
    public static NpgsqlConnectionStringBuilder ToConnectionString(string url, string? password)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres") || uri.Host.Length == 0)
        {
            throw new ArgumentException(
                $"--db '{url}' is not a database URL like postgresql://{LocalPostgres.WorkerRole}@HOST:PORT/{LocalPostgres.DatabaseName} " +
                "(`./cnngrid db-url` prints it on the machine that runs the stack)");
        }
        var userInfo = uri.UserInfo.Split(':', 2);
        var urlPassword = userInfo.Length == 2 ? Uri.UnescapeDataString(userInfo[1]) : null;
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.IdnHost,
            Port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port,
            Username = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : LocalPostgres.WorkerRole,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } database ? Uri.UnescapeDataString(database) : LocalPostgres.DatabaseName,
            Password = urlPassword ?? password,
        };
        return string.IsNullOrEmpty(builder.Password)
            ? throw new ArgumentException(
                $"no password for {builder.Username}@{builder.Host}: give --join FILE (from `./cnngrid join-file` on the stack's machine), --password-file (a copy of the stack's postgres/{LocalPostgres.WorkerRole}-password) or set PGPASSWORD")
            : builder;
    }
}
