namespace CnnGrid.Cli.Tests;

/// <summary>This project's tests that use the run's one <see cref="SharedStack"/> (xUnit wants the definition in their assembly).</summary>
[CollectionDefinition(SharedStack.Collection)]
public sealed class SharedStackCollection : ICollectionFixture<SharedStack>;
