namespace CnnGrid.Orchestrator.Tests.Persistence;

/// <summary>The test classes that share <see cref="PostgresFixture"/>'s server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
