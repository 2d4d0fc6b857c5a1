using System.CommandLine;
using System.Globalization;
using CnnGrid.Cli.Terminal;
using CnnGrid.Training.Folds;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid folds</c>: the validation indices of every fold, as scikit-learn's KFold/StratifiedKFold give them.</summary>
internal static class FoldsCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--n") { Description = "Number of samples", Required = true };
        var folds = new Option<int>("--k") { Description = "Number of folds", Required = true };
        var labelsFile = new Option<FileInfo?>("--stratify-labels") { Description = "File of integer labels (whitespace, comma or JSON array): stratified folds" };
        var shuffle = new Option<bool>("--shuffle") { Description = "Shuffle before splitting (by --seed)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the shuffle" };
        var command = new Command("folds", "Print {\"folds\": [[validation indices of fold 0], ...]}") { count, folds, labelsFile, shuffle, seed };
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var labels = result.GetValue(labelsFile) is { } file ? ReadLabels(file) : null;
            var validation = FoldSplitter.ValidationFolds(result.GetValue(count), result.GetValue(folds), result.GetValue(shuffle), result.GetValue(seed), labels);
            CliJson.WriteLine(new { folds = validation });
            return 0;
        }));
        return command;
    }

    static int[] ReadLabels(FileInfo file)
    {
        if (!file.Exists)
            throw new FileNotFoundException($"{file.FullName}: labels file not found");
        var tokens = File.ReadAllText(file.FullName).Split([' ', '\t', '\r', '\n', ',', '[', ']'], StringSplitOptions.RemoveEmptyEntries);
        return tokens.Select((token, i) => int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var label)
            ? label
            : throw new FormatException($"{file.FullName}: label {i + 1} ('{token}') is not an integer")).ToArray();
    }
}
