using System.CommandLine;
using CnnGrid.Abstractions;
using CnnGrid.Cli.Terminal;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Devices;
using CnnGrid.Training.Trials;
using TorchSharp;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid train</c>: one trial (one fold of one configuration), with a progress bar or JSON lines.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new TrialSpec();
        var model = new Option<string>("--model") { Description = "Model name (see 'cnngrid models')", DefaultValueFactory = _ => defaults.Model };
        var dataset = new Option<string>("--dataset") { Description = "fashion-mnist, mnist or cifar10", DefaultValueFactory = _ => defaults.Dataset.Name };
        var path = new Option<string?>("--path") { Description = "Folder with the dataset's files (required for mnist and cifar10)" };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N training images" };
        var augment = new Option<bool>("--augment") { Description = "Random crop, flip and grayscale of training batches (CIFAR)" };
        var permute = new Option<int?>("--permute-pixels") { Description = "Shuffle pixels by a fixed permutation drawn from this seed" };
        var folds = new Option<int>("--folds") { Description = "Number of folds (k)", DefaultValueFactory = _ => defaults.Folds };
        var fold = new Option<int>("--fold") { Description = "Which fold to validate on (0-based)", DefaultValueFactory = _ => defaults.Fold };
        var stratified = new Option<bool>("--stratified") { Description = "Stratified folds (same class proportions in every fold)" };
        var shuffleFolds = new Option<bool>("--shuffle-folds") { Description = "Shuffle before splitting into folds (by --seed)" };
        var epochs = new Option<int>("--epochs") { Description = Valid("Epochs", "epochs"), DefaultValueFactory = _ => defaults.Epochs };
        var batchSize = new Option<int>("--batch-size") { Description = Valid("Batch size", "batchSize"), DefaultValueFactory = _ => defaults.BatchSize };
        var optimizer = new Option<string>("--optimizer") { Description = Valid("Optimizer", "optimizer"), DefaultValueFactory = _ => defaults.Optimizer };
        var learningRate = new Option<double>("--lr") { Description = Valid("Learning rate", "learningRate"), DefaultValueFactory = _ => defaults.LearningRate };
        var momentum = new Option<double>("--momentum") { Description = Valid("SGD momentum", "momentum") };
        var dropout = new Option<double>("--dropout") { Description = Valid("Dropout rate", "dropout") };
        var weightDecay = new Option<double>("--weight-decay") { Description = Valid("L2 regularization (optimizer weight decay)", "weightDecay") };
        var normalization = new Option<string>("--normalization") { Description = Valid("Normalization", "normalization"), DefaultValueFactory = _ => defaults.Normalization };
        var hidden = new Option<int?>("--hidden") { Description = Valid("Hidden units of the mlp model", "hidden") };
        var features = new Option<int?>("--features") { Description = Valid("Feature maps of the seed003-cnn model", "features") };
        var patience = new Option<int?>("--patience") { Description = Valid("Stop after this many epochs without a better validation accuracy", "patience") };
        var test = new Option<bool>("--test") { Description = "Evaluate the best epoch's weights on the held-out test split" };
        var seed = new Option<int>("--seed") { Description = Valid("Seed of weights, batch order, dropout and shuffled folds", "seed"), DefaultValueFactory = _ => defaults.Seed };
        var device = new Option<string>("--device") { Description = "cpu or cuda:N", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for training (default: all cores)" };
        var json = new Option<bool>("--json") { Description = "One JSON object per epoch and a final one with the outcome" };

        var command = new Command("train", "Train one trial: one fold of one configuration")
        {
            model, dataset, path, limit, augment, permute, folds, fold, stratified, shuffleFolds, epochs, batchSize, optimizer,
            learningRate, momentum, dropout, weightDecay, normalization, hidden, features, patience, test, seed, device, threads, json,
        };
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var spec = new TrialSpec
            {
                Dataset = new DatasetSpec
                {
                    Name = result.GetValue(dataset)!,
                    Path = result.GetValue(path),
                    Limit = result.GetValue(limit),
                    Augment = result.GetValue(augment),
                    PermutePixelsSeed = result.GetValue(permute),
                },
                Model = result.GetValue(model)!,
                Folds = result.GetValue(folds),
                Fold = result.GetValue(fold),
                Stratified = result.GetValue(stratified),
                ShuffleFolds = result.GetValue(shuffleFolds),
                Seed = result.GetValue(seed),
                Epochs = result.GetValue(epochs),
                BatchSize = result.GetValue(batchSize),
                Optimizer = result.GetValue(optimizer)!,
                LearningRate = result.GetValue(learningRate),
                Momentum = result.GetValue(momentum),
                Dropout = result.GetValue(dropout),
                WeightDecay = result.GetValue(weightDecay),
                Normalization = result.GetValue(normalization)!,
                Hidden = result.GetValue(hidden),
                Features = result.GetValue(features),
                Patience = result.GetValue(patience),
                EvaluateTest = result.GetValue(test),
            };
            return Train(spec, result.GetValue(device)!, result.GetValue(threads), result.GetValue(json));
        }));
        return command;
    }

    // The valid values come from the trial contract, the spec parser's and the worker's one table.
    private static string Valid(string what, string parameter) => $"{what}: {TrialParameters.Find(parameter)!.ValidValues}";

    static int Train(TrialSpec spec, string deviceName, int? threads, bool json)
    {
        TrialSpecChecks.Validate(spec);
        var device = TorchDevice.Parse(deviceName);
        if (threads is { } count)
            torch.set_num_threads(count > 0 ? count : throw new ArgumentException($"--threads must be positive (got {count})."));

        using var datasets = new DatasetCache();
        ITrialProgress progress = json ? new JsonEpochWriter() : new TrainingProgressBar(spec.Epochs, Console.Out);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        var result = new TrialTrainer(datasets).Run(spec, device, progress, cancel.Token);
        if (json)
            CliJson.WriteLine("result", result with { BestCheckpoint = null });
        else
            Console.Out.WriteLine(Summary(result));
        return result.Outcome == TrialOutcome.Completed ? 0 : 1;
    }

    static string Summary(TrialResult result)
    {
        var best = result.BestEpoch > 0 ? result.Epochs[result.BestEpoch - 1] : null;
        var line = $"outcome: {result.Outcome.ToString().ToLowerInvariant()}";
        if (best is not null)
            line += $"; best epoch {best.Epoch}: validation accuracy {best.ValidationAccuracy:P2}";
        if (result.TestAccuracy is { } testAccuracy)
            line += $"; test accuracy {testAccuracy:P2}";
        if (result.Reason is not null)
            line += $" ({result.Reason})";
        return line;
    }
}
