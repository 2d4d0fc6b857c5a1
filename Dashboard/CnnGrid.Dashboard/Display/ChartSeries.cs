namespace CnnGrid.Dashboard.Display;

/// <summary>One line of a chart: a value per epoch (index 0 is epoch 1).</summary>
/// <param name="Kind">Its CSS class: <c>fold</c>, <c>mean</c>, <c>train</c> or <c>validation</c>.</param>
public sealed record ChartSeries(string Label, IReadOnlyList<double> Values, string Kind);
