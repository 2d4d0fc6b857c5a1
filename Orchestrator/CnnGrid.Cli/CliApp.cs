using System.CommandLine;
using CnnGrid.Cli.Commands;

namespace CnnGrid.Cli;

internal static class CliApp
{
    public static RootCommand Build() =>
        new("CnnGrid: k-fold cross-validation sweeps of convolutional networks")
        {
            TrainCommand.Create(),
            ModelsCommand.Create(),
            FoldsCommand.Create(),
            BenchCommand.Create(),
            UpCommand.Create(),
            DownCommand.Create(),
            StatusCommand.Create(),
            SubmitCommand.Create(),
            ResultsCommand.Create(),
            CancelCommand.Create(),
            ExportCommand.Create(),
            DbUrlCommand.Create(),
            JoinFileCommand.Create(),
            RunCommand.Create(),
            WorkerCommand.Create(),
        };
}
