using TorchSharp;
using static TorchSharp.torch;

namespace CnnGrid.Training.Trials;

/// <summary>Loss, accuracy and confusion matrix of a model on a set of images.</summary>
public sealed record Evaluation(double Loss, double Accuracy, int[][] ConfusionMatrix)
{
    /// <summary>Accuracy of each true class (0 for a class with no images).</summary>
    public double[] PerClassAccuracy() => ConfusionMatrix
        .Select((row, c) => row.Sum() is var total and > 0 ? (double)row[c] / total : 0)
        .ToArray();

    /// <summary>Runs the model in eval mode without gradients, in batches, with one device→host copy at the end.</summary>
    public static Evaluation Of(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, int classes, int batchSize)
    {
        var count = images.shape[0];
        if (count == 0)
            return new Evaluation(double.NaN, 0, Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray());

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        var lossSum = zeros(1, dtype: float64, device: images.device);
        var cells = zeros(classes * classes, dtype: int64, device: images.device);
        for (long start = 0; start < count; start += batchSize)
        {
            using var batchScope = NewDisposeScope();
            var length = Math.Min(batchSize, count - start);
            var x = images.narrow(0, start, length);
            var y = labels.narrow(0, start, length);
            var logits = model.forward(x);
            lossSum.add_(nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).to(float64));
            cells.add_(bincount(y * classes + logits.argmax(1), minlength: classes * classes));
        }

        var counts = cells.cpu().data<long>().ToArray();
        var matrix = Enumerable.Range(0, classes)
            .Select(t => Enumerable.Range(0, classes).Select(p => (int)counts[t * classes + p]).ToArray())
            .ToArray();
        var correct = Enumerable.Range(0, classes).Sum(c => (long)matrix[c][c]);
        return new Evaluation(lossSum.cpu().item<double>() / count, (double)correct / count, matrix);
    }
}
