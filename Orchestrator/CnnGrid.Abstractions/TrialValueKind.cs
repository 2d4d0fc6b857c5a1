namespace CnnGrid.Abstractions;

/// <summary>The type of a <see cref="TrialParameter"/>'s values, as JSON has it.</summary>
public enum TrialValueKind
{
    /// <summary>A JSON integer, read as <see cref="int"/>.</summary>
    Integer,

    /// <summary>Any finite JSON number, read as <see cref="double"/>.</summary>
    Number,

    /// <summary>A JSON string.</summary>
    Text,
}
