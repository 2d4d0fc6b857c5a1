using System.Text.Json;
using CnnGrid.Abstractions.Views;
using Npgsql;

namespace CnnGrid.Stack;

/// <summary>
/// Everything a worker on another machine needs to join the stack, in one file (<c>./cnngrid join-file FILE</c>, mode
/// 0600; <c>./cnngrid worker --join FILE</c>): the database as the worker role reaches it, password included, the
/// database server's certificate, which the worker then requires (TLS, the server's identity checked), and a cluster
/// certificate of its own for the silos' mutual TLS (a new one in each file).
/// </summary>
/// <param name="DbUrl"><c>postgresql://cnngrid_worker:PASSWORD@ADDRESS:PORT/cnngrid</c>.</param>
/// <param name="DbCertificate">The server's certificate (PEM); null for a stack without <c>--address</c>, which serves no TLS.</param>
/// <param name="Silo">The worker silo's certificate and key, and the cluster authority's certificate.</param>
public sealed record JoinFile(string DbUrl, string? DbCertificate, SiloCredentials Silo)
{
    /// <summary>The running stack's join file.</summary>
    public static JoinFile Of(StackHome home, StackState state)
    {
        var postgres = new LocalPostgres(home.PostgresDirectory);
        var password = File.ReadAllText(postgres.RolePasswordFile(LocalPostgres.WorkerRole)).Trim();
        var url = state.DbUrl.Replace($"//{LocalPostgres.WorkerRole}@", $"//{LocalPostgres.WorkerRole}:{password}@", StringComparison.Ordinal);
        var certificate = state.Address != "127.0.0.1" && File.Exists(postgres.CertificateFile) ? File.ReadAllText(postgres.CertificateFile) : null;
        return new JoinFile(url, certificate, ClusterAuthority.Of(home).Issue($"cnngrid worker joined {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}"));
    }

    /// <summary>Writes the file readable by its owner only (it holds a password and a private key), replacing one there.</summary>
    public void Write(string path) => OwnerOnlyFile.Write(path, JsonSerializer.Serialize(this, ApiJson.Options));

    /// <exception cref="ArgumentException">The file is missing or not a join file (bad input: the user gave it).</exception>
    public static JoinFile Read(string path)
    {
        if (!File.Exists(path))
            throw new ArgumentException($"--join {path} does not exist: make it with `./cnngrid join-file FILE` on the stack's machine");
        try
        {
            return JsonSerializer.Deserialize<JoinFile>(File.ReadAllText(path), ApiJson.Options) switch
            {
                { DbUrl.Length: > 0, Silo: { AuthorityPem.Length: > 0, CertificatePem.Length: > 0, KeyPem.Length: > 0 } } file => Checked(file, path),
                { DbUrl.Length: > 0 } => throw new ArgumentException($"--join {path} has no cluster certificate (an older CnnGrid wrote it): make it again with `./cnngrid join-file FILE`"),
                _ => throw new ArgumentException($"--join {path} has no dbUrl: make it again with `./cnngrid join-file FILE`"),
            };
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"--join {path} is not a join file ({error.Message}): make it again with `./cnngrid join-file FILE`", error);
        }
    }

    private static JoinFile Checked(JoinFile file, string path)
    {
        try
        {
            DatabaseUrl.ToConnectionString(file.DbUrl);
            return file;
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException($"--join {path}: {error.Message}: make it again with `./cnngrid join-file FILE`", error);
        }
    }

    /// <summary>
    /// The worker's connection string: TLS required and the server checked against <see cref="DbCertificate"/>, which is
    /// written to <paramref name="certificateFile"/> for the worker process to read.
    /// </summary>
    public NpgsqlConnectionStringBuilder ConnectionString(string certificateFile)
    {
        var database = DatabaseUrl.ToConnectionString(DbUrl);
        if (DbCertificate is not null)
        {
            File.WriteAllText(certificateFile, DbCertificate);
            database.SslMode = SslMode.VerifyFull;
            database.RootCertificate = certificateFile;
        }
        return database;
    }
}
