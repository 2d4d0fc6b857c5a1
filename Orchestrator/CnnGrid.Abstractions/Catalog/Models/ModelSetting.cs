namespace CnnGrid.Abstractions.Catalog.Models;

/// <summary>A size a spec may set for a model (<c>hidden</c>, <c>features</c>): its value or the model's default, at least 1.</summary>
internal static class ModelSetting
{
    /// <param name="what">What it counts, for the message.</param>
    /// <exception cref="ArgumentException">The value is below 1.</exception>
    public static int OrDefault(int? value, int fallback, string what)
    {
        var size = value ?? fallback;
        return size >= 1 ? size : throw new ArgumentException($"{what} must be at least 1, got {size}.");
    }
}
