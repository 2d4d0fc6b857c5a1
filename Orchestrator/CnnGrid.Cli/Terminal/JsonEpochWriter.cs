using CnnGrid.Abstractions;
using CnnGrid.Training.Trials;

namespace CnnGrid.Cli.Terminal;

/// <summary>Writes each finished epoch as one JSON object on stdout (<c>--json</c>).</summary>
internal sealed class JsonEpochWriter : ITrialProgress
{
    void ITrialProgress.BatchDone(int epoch, int batch, int batches) { }

    void ITrialProgress.EpochDone(EpochMetrics metrics, ResumePoint? resumePoint) => CliJson.WriteLine("epoch", metrics);
}
