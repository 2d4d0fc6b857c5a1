namespace CnnGrid.Dashboard.Display;

/// <summary>A grid value as a sort key: numbers (by value) before text (ordinal); <see cref="double.NaN"/> marks text.</summary>
internal readonly record struct ParamValue(double Number, string Text) : IComparable
{
    public int CompareTo(object? other)
    {
        var that = (ParamValue)other!;
        var byKind = double.IsNaN(Number).CompareTo(double.IsNaN(that.Number));
        if (byKind != 0)
            return byKind;
        return double.IsNaN(Number) ? string.CompareOrdinal(Text, that.Text) : Number.CompareTo(that.Number);
    }
}
