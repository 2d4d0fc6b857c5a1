using CnnGrid.Abstractions;
using CnnGrid.Training.Trials;

namespace CnnGrid.Cli.Terminal;

/// <summary>A one-line progress bar on stderr (only on a terminal) and one summary line per epoch.</summary>
internal sealed class TrainingProgressBar(int epochs, TextWriter output) : ITrialProgress
{
    const int Width = 30;
    readonly bool interactive = !Console.IsErrorRedirected;
    int lastDrawn = -1;

    void ITrialProgress.BatchDone(int epoch, int batch, int batches)
    {
        if (!interactive)
            return;
        var filled = batch * Width / batches;
        if (filled == lastDrawn && batch != batches)
            return;
        lastDrawn = filled;
        Console.Error.Write($"\repoch {epoch}/{epochs} [{new string('#', filled)}{new string('.', Width - filled)}] {batch}/{batches} batches");
    }

    void ITrialProgress.EpochDone(EpochMetrics m, ResumePoint? resumePoint)
    {
        if (interactive)
            Console.Error.Write('\r' + new string(' ', Width + 40) + '\r');
        lastDrawn = -1;
        output.WriteLine($"epoch {m.Epoch}/{epochs}: train loss {m.TrainLoss:F4} acc {m.TrainAccuracy:P2} | " +
            $"validation loss {m.ValidationLoss:F4} acc {m.ValidationAccuracy:P2} | {m.DurationSeconds:F1} s, {m.ImagesPerSecond:F0} images/s");
    }
}
