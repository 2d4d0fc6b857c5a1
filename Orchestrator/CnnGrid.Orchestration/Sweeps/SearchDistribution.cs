using System.Globalization;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// A range a random search draws a hyperparameter from (in the spec's grid, instead of a list):
/// <c>{"uniform": [a, b]}</c> and <c>{"logUniform": [a, b]}</c> for numbers, <c>{"intUniform": [a, b]}</c> for
/// integers, both ends included. A list (or <c>{"choice": [...]}</c>) is drawn from uniformly.
/// </summary>
public sealed record SearchDistribution(string Kind, double Low, double High)
{
    public const string Uniform = "uniform";
    public const string LogUniform = "logUniform";
    public const string IntUniform = "intUniform";
    public const string Choice = "choice";

    public static IReadOnlyList<string> Kinds { get; } = [Uniform, LogUniform, IntUniform, Choice];

    /// <summary>A value in [<see cref="Low"/>, <see cref="High"/>]: a double, or an int for <see cref="IntUniform"/>.</summary>
    public object Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Kind switch
        {
            // Boxed arm by arm: a switch of double and int arms would make the ints doubles.
            Uniform => (object)Math.Min(High, Low + random.NextDouble() * (High - Low)),
            LogUniform => (object)Math.Min(High, Math.Exp(Math.Log(Low) + random.NextDouble() * (Math.Log(High) - Math.Log(Low)))),
            IntUniform => (object)random.Next((int)Low, (int)High + 1),
            _ => throw new InvalidOperationException($"{Kind} is not a range"),
        };
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"{Kind}\": [{Low}, {High}]}}");
}
