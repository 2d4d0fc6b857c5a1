namespace CnnGrid.Dashboard.Display;

/// <summary>
/// Rows for centred axis labels that would overlap on one line: each label takes the first row whose last label it
/// clears. Successive halving's early rungs lie a few pixels apart (eta 2 over 16 epochs: 1, 2, 4, …).
/// </summary>
public static class LabelRows
{
    /// <summary>A 10 px label's character, wide ones rounded up, in SVG units; a label also keeps one character's gap.</summary>
    public const double CharWidth = 6;

    /// <param name="labels">Each label's centre and text, left to right.</param>
    /// <returns>Each label's row, 0 for the first.</returns>
    public static IReadOnlyList<int> Assign(IReadOnlyList<(double X, string Text)> labels)
    {
        var rightEdges = new List<double>();
        var rows = new List<int>(labels.Count);
        foreach (var (x, text) in labels)
        {
            var half = (text.Length + 1) * CharWidth / 2;
            var row = rightEdges.FindIndex(edge => edge <= x - half);
            if (row < 0)
            {
                row = rightEdges.Count;
                rightEdges.Add(0);
            }
            rightEdges[row] = x + half;
            rows.Add(row);
        }
        return rows;
    }
}
