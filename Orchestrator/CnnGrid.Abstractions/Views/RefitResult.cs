namespace CnnGrid.Abstractions.Views;

/// <summary>
/// The sweep's best configuration trained once more on every training image for <paramref name="Epochs"/> epochs and
/// tested on the dataset's held-out test split: what <c>"refit"</c> shows.
/// </summary>
/// <param name="Params">The configuration's hyperparameters.</param>
/// <param name="TestAccuracy">The last epoch's weights' accuracy on the test split.</param>
/// <param name="PerClassAccuracy">Accuracy per class on the test split, by label.</param>
/// <param name="ConfusionMatrix">Test images by true label (rows) and predicted label (columns).</param>
public sealed record RefitResult(
    IReadOnlyDictionary<string, object?> Params, int Epochs, double TestAccuracy, IReadOnlyList<double> PerClassAccuracy, int[][] ConfusionMatrix);
