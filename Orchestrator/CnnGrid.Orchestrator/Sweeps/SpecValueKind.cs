namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>The JSON type a hyperparameter's value must have.</summary>
internal enum SpecValueKind
{
    /// <summary>A JSON integer, read as <see cref="int"/>.</summary>
    Integer,

    /// <summary>Any finite JSON number, read as <see cref="double"/>.</summary>
    Number,

    /// <summary>A JSON string.</summary>
    Text,
}
