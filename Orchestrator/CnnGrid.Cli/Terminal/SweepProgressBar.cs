using CnnGrid.Abstractions.Views;

namespace CnnGrid.Cli.Terminal;

/// <summary>A sweep's progress on stderr: a redrawn bar on a terminal, otherwise one line each time more trials are done.</summary>
internal sealed class SweepProgressBar
{
    private const int Width = 30;
    private readonly bool interactive = !Console.IsErrorRedirected;
    private int lastDone = -1;

    /// <summary>
    /// The sweep's state and trials; under successive halving also the trials paused at a rung and the configurations
    /// still going on (of all that have a result) with the most epochs any has trained.
    /// </summary>
    public void Show(SweepView view)
    {
        var sweep = view.Summary;
        var done = sweep.Trials.Done;
        var line = $"{sweep.State.ToString().ToLowerInvariant()} [{Bar(done, sweep.TotalTrials)}] {done}/{sweep.TotalTrials} trials, {sweep.Trials.Running} running";
        if (sweep.Trials.Paused > 0 || view.Configs.Any(config => config.StoppedAtRung is not null))
        {
            var surviving = view.Configs.Count(config => config.StoppedAtRung is null);
            line += $", {sweep.Trials.Paused} paused at a rung; {surviving} of {view.Configs.Count} configurations going on, up to {view.Configs.Max(config => config.EpochsTrained) ?? 0} epochs";
        }
        if (interactive)
        {
            Console.Error.Write($"\r{line}   ");
        }
        else if (done != lastDone)
        {
            Console.Error.WriteLine(line);
        }
        lastDone = done;
    }

    /// <summary>Ends the redrawn line so that what follows starts on its own.</summary>
    public void Finish()
    {
        if (interactive)
        {
            Console.Error.WriteLine();
        }
    }

    private static string Bar(int done, int total)
    {
        var filled = total == 0 ? Width : done * Width / total;
        return new string('#', filled) + new string('.', Width - filled);
    }
}
