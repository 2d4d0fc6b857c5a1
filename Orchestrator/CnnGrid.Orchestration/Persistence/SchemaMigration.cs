using System.Security.Cryptography;
using System.Text;

namespace CnnGrid.Orchestrator.Persistence;

/// <summary>One versioned schema change, from an embedded <c>NNNN_name.sql</c> file.</summary>
public sealed record SchemaMigration
{
    public SchemaMigration(int version, string name, string sql)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        Version = version;
        Name = name;
        Sql = sql;
        // Line endings normalised so a checkout with CRLF does not look like an edited migration.
        Checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
    }

    public int Version { get; }
    public string Name { get; }
    public string Sql { get; }

    /// <summary>SHA-256 of the SQL, recorded when applied so that a migration edited afterwards is detected.</summary>
    public string Checksum { get; }
}
