using CnnGrid.Abstractions.Views;

namespace CnnGrid.Dashboard.Display;

/// <summary>
/// What the sweep page needs of a sweep's search, as the orchestrator resolved it from the spec: the successive-halving
/// rungs' epochs (none for a grid or a random search) and whether the best configuration is refit.
/// </summary>
/// <param name="RungEpochs">The epoch each rung ends at, first to last.</param>
public sealed record SpecSearch(IReadOnlyList<int> RungEpochs, bool Refits)
{
    public bool Halves => RungEpochs.Count > 0;

    public static SpecSearch Of(SweepView view) => new(view.RungEpochs, view.Refits);
}
