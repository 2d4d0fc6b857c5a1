namespace CnnGrid.Dashboard.Display;

/// <summary>Per epoch, the spread of a metric over the folds that reached that epoch.</summary>
public sealed record CurveBand(IReadOnlyList<Spread> Epochs)
{
    /// <summary>Folds stopped early have shorter curves: epoch i averages only the curves that have it.</summary>
    public static CurveBand Over(IReadOnlyList<IReadOnlyList<double>> curves)
    {
        var epochs = curves.Count == 0 ? 0 : curves.Max(curve => curve.Count);
        return new CurveBand(Enumerable.Range(0, epochs)
            .Select(epoch => Spread.Of(curves.Where(curve => curve.Count > epoch).Select(curve => curve[epoch]).ToList()))
            .ToList());
    }
}
