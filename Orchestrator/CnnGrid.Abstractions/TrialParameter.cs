using System.Globalization;

namespace CnnGrid.Abstractions;

/// <summary>
/// One hyperparameter of <see cref="TrialSpec"/>: its name, type, valid values and place. A spec fixes it once or
/// varies it under <c>grid</c>; the spec parser and the worker's checks both ask <see cref="Problem"/>, and the
/// checked-in JSON schema is tested against it, so a rule is written here once.
/// </summary>
/// <param name="Name">Its name in a spec, in a configuration's parameters and in messages.</param>
/// <param name="Kind">The JSON type of its values.</param>
/// <param name="Nullable">Whether null is a value (the model's default, or "off").</param>
/// <param name="Description">What it does, for the schema and help texts; null when the name says it.</param>
/// <param name="Read">Its value in a trial spec (boxed; null when unset).</param>
/// <param name="Apply">Sets the value on a trial spec.</param>
public sealed record TrialParameter(
    string Name,
    TrialValueKind Kind,
    bool Nullable,
    string? Description,
    Func<TrialSpec, object?> Read,
    Func<TrialSpec, object?, TrialSpec> Apply)
{
    /// <summary>Smallest valid number, if any; see <see cref="MinimumExclusive"/>.</summary>
    public double? Minimum { get; init; }

    public bool MinimumExclusive { get; init; }

    /// <summary>Largest valid number, if any; see <see cref="MaximumExclusive"/>.</summary>
    public double? Maximum { get; init; }

    public bool MaximumExclusive { get; init; }

    /// <summary>The valid texts of a choice, in the order messages list them; null when any text may be valid.</summary>
    public IReadOnlyList<string>? Choices { get; init; }

    /// <summary>Where a fixed value is written in a spec: usually <see cref="Name"/> at the top level.</summary>
    public string FixedPath { get; init; } = Name;

    /// <summary>The value of a trial spec that sets nothing.</summary>
    public object? Default => Read(new TrialSpec());

    /// <summary>
    /// What is wrong with a non-null value of <see cref="Kind"/> (an <see cref="int"/>, a <see cref="double"/> or a
    /// <see cref="string"/>), as "<c>momentum must be in [0, 1), got 1</c>"; null when it is valid.
    /// </summary>
    public string? Problem(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (Choices is { } choices)
            return choices.Contains((string)value) ? null : $"{Name} must be one of {string.Join(", ", choices)}, got {Format(value)}";
        if (Kind == TrialValueKind.Text)
            return null;
        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        var valid = double.IsFinite(number)
            && (Minimum is not { } low || (MinimumExclusive ? number > low : number >= low))
            && (Maximum is not { } high || (MaximumExclusive ? number < high : number <= high));
        return valid ? null : $"{Name} must be {Rule}, got {Format(value)}";
    }

    /// <summary>The valid values in words: "one of sgd, adam", or <see cref="Rule"/>.</summary>
    public string ValidValues => Choices is { } choices ? "one of " + string.Join(", ", choices) : Rule;

    /// <summary>The valid numbers in words: "in [0, 1)", "at least 1", "greater than 0".</summary>
    /// <remarks>An integer's own largest value goes without saying.</remarks>
    public string Rule => (Minimum, Kind == TrialValueKind.Integer && Maximum == int.MaxValue ? null : Maximum) switch
    {
        ({ } low, { } high) => $"in {(MinimumExclusive ? "(" : "[")}{Format(low)}, {Format(high)}{(MaximumExclusive ? ")" : "]")}",
        ({ } low, null) => MinimumExclusive ? $"greater than {Format(low)}" : $"at least {Format(low)}",
        (null, { } high) => MaximumExclusive ? $"less than {Format(high)}" : $"at most {Format(high)}",
        _ => "finite",
    };

    /// <summary>A value as a spec writes it: texts quoted, numbers invariant.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
