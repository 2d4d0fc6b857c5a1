using System.CommandLine;

namespace CnnGrid.Cli;

internal static class CliApp
{
    public static RootCommand Build() => new("CnnGrid: k-fold cross-validation sweeps of convolutional networks");
}
