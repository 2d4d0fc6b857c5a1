namespace CnnGrid.Abstractions.Views;

/// <summary>How a sweep's configurations are compared (the settings behind every <see cref="ComparisonToBest"/>).</summary>
/// <param name="Method">"corrected-resampled-t".</param>
/// <param name="Alpha">Significance level: a configuration is tied with the best when its Holm-adjusted p ≥ alpha (spec field <c>alpha</c>).</param>
/// <param name="Rope">Half-width of the region of practical equivalence, as an accuracy fraction (spec field <c>rope</c>).</param>
/// <param name="Folds">k of the k-fold split.</param>
/// <param name="Repeats">Splits each configuration is validated on (its seeds): J = repeats · k.</param>
/// <param name="ValidationToTrainingRatio">n_val / n_train of a fold: 1/(k − 1) for k-fold, whatever the dataset's size.</param>
[GenerateSerializer, Immutable]
public sealed record SweepComparison(string Method, double Alpha, double Rope, int Folds, int Repeats, double ValidationToTrainingRatio);
