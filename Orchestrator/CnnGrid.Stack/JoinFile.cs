using System.Text.Json;
using CnnGrid.Abstractions.Views;
using Npgsql;

namespace CnnGrid.Stack;

/// <summary>
/// Everything a worker on another machine needs to join the stack, in one file (<c>./cnngrid join-file FILE</c>, mode
/// 0600; <c>./cnngrid worker --join FILE</c>): the database as the worker role reaches it, password included, and the
/// database server's certificate, which the worker then requires (TLS, the server's identity checked).
/// </summary>
/// <param name="DbUrl"><c>postgresql://cnngrid_worker:PASSWORD@ADDRESS:PORT/cnngrid</c>.</param>
/// <param name="DbCertificate">The server's certificate (PEM); null for a stack without <c>--address</c>, which serves no TLS.</param>
public sealed record JoinFile(string DbUrl, string? DbCertificate)
{
    /// <summary>The running stack's join file.</summary>
    public static JoinFile Of(StackHome home, StackState state)
    {
        var postgres = new LocalPostgres(home.PostgresDirectory);
        var password = File.ReadAllText(postgres.RolePasswordFile(LocalPostgres.WorkerRole)).Trim();
        var url = state.DbUrl.Replace($"//{LocalPostgres.WorkerRole}@", $"//{LocalPostgres.WorkerRole}:{password}@", StringComparison.Ordinal);
        var certificate = state.Address != "127.0.0.1" && File.Exists(postgres.CertificateFile) ? File.ReadAllText(postgres.CertificateFile) : null;
        return new JoinFile(url, certificate);
    }

    /// <summary>Writes the file readable by its owner only (it holds a password), replacing one there.</summary>
    public void Write(string path)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("The local stack runs Debian's PostgreSQL: Linux only.");
        File.Delete(path);
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        JsonSerializer.Serialize(stream, this, ApiJson.Options);
    }

    /// <exception cref="StackException">The file is missing or not a join file.</exception>
    public static JoinFile Read(string path)
    {
        if (!File.Exists(path))
            throw new StackException($"--join {path} does not exist: make it with `./cnngrid join-file FILE` on the stack's machine");
        try
        {
            return JsonSerializer.Deserialize<JoinFile>(File.ReadAllText(path), ApiJson.Options) is { DbUrl.Length: > 0 } file
                ? file
                : throw new StackException($"--join {path} has no dbUrl: make it again with `./cnngrid join-file FILE`");
        }
        catch (JsonException error)
        {
            throw new StackException($"--join {path} is not a join file ({error.Message}): make it again with `./cnngrid join-file FILE`", error);
        }
    }

    /// <summary>
    /// The worker's connection string: TLS required and the server checked against <see cref="DbCertificate"/>, which is
    /// written to <paramref name="certificateFile"/> for the worker process to read.
    /// </summary>
    public NpgsqlConnectionStringBuilder ConnectionString(string certificateFile)
    {
        var database = DatabaseUrl.ToConnectionString(DbUrl, password: null);
        if (DbCertificate is not null)
        {
            File.WriteAllText(certificateFile, DbCertificate);
            database.SslMode = SslMode.VerifyFull;
            database.RootCertificate = certificateFile;
        }
        return database;
    }
}
