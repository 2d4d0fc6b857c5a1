using System.Text.Json;
using System.Text.RegularExpressions;
using CnnGrid.Abstractions;

namespace CnnGrid.Orchestrator.Sweeps;

/// <summary>
/// Turns one spec document into a <see cref="ParsedSweep"/>, or into every problem it has.
/// Single use: it keeps what it has read so far.
/// </summary>
internal sealed partial class SweepSpecReader(SweepLimits limits, SweepCatalog catalog)
{
    private const int MaxNameLength = 200;

    /// <summary>Top-level fields that are not hyperparameters.</summary>
    public static IReadOnlyList<string> SweepFields { get; } =
        ["$schema", "id", "name", "dataset", "folds", "stratified", "shuffleFolds", "evaluateTest", "noopSeconds", "grid"];

    public static IReadOnlyList<string> DatasetFields { get; } =
        ["name", "path", "limit", "mean", "std", "augment", Hyperparameters.PermutePixelsSeed];

    /// <summary>Every field allowed at the top level: <see cref="SweepFields"/> and the hyperparameters fixed there.</summary>
    public static IReadOnlyList<string> TopLevelFields { get; } =
        [.. SweepFields, .. Hyperparameters.All.Where(IsTopLevel).Select(parameter => parameter.Name)];

    private readonly SpecFieldReader _fields = new();

    // Valid fixed hyperparameter values by name, and the names written at their fixed place (valid or not).
    private readonly Dictionary<string, object?> _fixed = [];
    private readonly HashSet<string> _written = [];

    private string? _id;
    private string? _name;
    private DatasetSpec _dataset = new();

    // False when the dataset section or its name is unreadable, so catalog checks would check the wrong dataset.
    private bool _datasetReadable = true;
    private int? _folds = new TrialSpec().Folds;
    private bool _stratified;
    private bool _shuffleFolds;
    private bool _evaluateTest;
    private double? _noopSeconds;
    private readonly List<GridAxis> _grid = [];

    // Length of every grid list by name, valid values or not, so the size check runs even beside other problems.
    private readonly Dictionary<string, int> _gridSizes = [];

    public ParseResult Read(JsonElement root)
    {
        if (!_fields.IsObject(root, "$"))
        {
            return ParseResult.Invalid(_fields.Problems);
        }
        JsonElement? grid = null;
        foreach (var property in _fields.Properties(root, ""))
        {
            if (property.Name == "grid")
            {
                // Read after everything else, to know which hyperparameters are already fixed.
                grid = property.Value;
            }
            else
            {
                ReadTopLevel(property.Name, property.Value);
            }
        }
        if (!root.TryGetProperty("name", out _))
        {
            _fields.Report("name", "missing: give the sweep a name");
        }
        if (grid is { } gridElement)
        {
            ReadGrid(gridElement);
        }
        if (_datasetReadable)
        {
            CheckAgainstCatalog(_dataset);
        }
        CheckNoopSeconds();
        CheckTrialCount(grid is null ? "folds" : "grid");
        return _fields.Problems.Count > 0 ? ParseResult.Invalid(_fields.Problems) : ParseResult.Valid(Build());
    }

    private void ReadTopLevel(string name, JsonElement value)
    {
        switch (name)
        {
            case "$schema":
                // Lets editors validate the file against sweep.schema.json; the server ignores it.
                _fields.TryReadString(value, name, out _);
                break;
            case "id":
                ReadId(value);
                break;
            case "name":
                ReadName(value);
                break;
            case "dataset":
                ReadDataset(value);
                break;
            case "folds":
                _folds = _fields.TryReadInt(value, name, out var folds) ? folds : null;
                if (_folds < 2)
                {
                    _fields.Report(name, $"folds must be at least 2, got {folds}");
                    _folds = null;
                }
                break;
            case "stratified":
                _fields.TryReadBool(value, name, out _stratified);
                break;
            case "shuffleFolds":
                _fields.TryReadBool(value, name, out _shuffleFolds);
                break;
            case "evaluateTest":
                _fields.TryReadBool(value, name, out _evaluateTest);
                break;
            case "noopSeconds":
                ReadNoopSeconds(value);
                break;
            default:
                ReadFixedHyperparameter(name, value);
                break;
        }
    }

    private void ReadId(JsonElement value)
    {
        if (!_fields.TryReadString(value, "id", out var id))
        {
            return;
        }
        if (IdPattern().IsMatch(id))
        {
            _id = id;
        }
        else
        {
            _fields.Report("id", $"id must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit; got \"{id}\"");
        }
    }

    private void ReadName(JsonElement value)
    {
        if (!_fields.TryReadString(value, "name", out var name))
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            _fields.Report("name", $"name must be non-blank and at most {MaxNameLength} characters");
        }
        else
        {
            _name = name;
        }
    }

    private void ReadFixedHyperparameter(string name, JsonElement value)
    {
        var parameter = Hyperparameters.Find(name);
        if (parameter is null || !IsTopLevel(parameter))
        {
            _fields.Report(name, DatasetFields.Contains(name)
                ? $"{name} belongs inside dataset"
                : $"unknown field \"{name}\"{ClosestName.Hint(name, TopLevelFields)}");
            return;
        }
        _written.Add(name);
        if (value.ValueKind == JsonValueKind.Array)
        {
            _fields.Report(name, $"{name} takes a single value here; to try several, list them under grid.{name}");
        }
        else if (_fields.TryRead(parameter, catalog, value, name, out var parsed))
        {
            _fixed[name] = parsed;
        }
    }

    private void ReadNoopSeconds(JsonElement value)
    {
        if (!_fields.TryReadNumber(value, "noopSeconds", out var seconds))
        {
            return;
        }
        if (seconds is < 0 or > TrialSpec.MaxNoopSeconds)
        {
            _fields.Report("noopSeconds", $"noopSeconds must be in [0, {TrialSpec.MaxNoopSeconds}], got {TrialParameter.Format(seconds)}");
        }
        else
        {
            _noopSeconds = seconds;
        }
    }

    /// <summary>A noop epoch's length means nothing to a model that trains: every model the sweep trains must be noop.</summary>
    private void CheckNoopSeconds()
    {
        if (_noopSeconds is null)
        {
            return;
        }
        foreach (var (path, model) in ModelsToCheck().Where(written => written.Model != TrialSpec.NoopModel))
        {
            _fields.Report("noopSeconds", $"noopSeconds applies only to model {TrialSpec.NoopModel}, but {path} is {model}");
        }
    }

    /// <summary>Reads the dataset section, keeping its valid fields so later checks can use them.</summary>
    private void ReadDataset(JsonElement value)
    {
        if (!_fields.IsObject(value, "dataset"))
        {
            _datasetReadable = false;
            return;
        }
        var dataset = new DatasetSpec();
        foreach (var property in _fields.Properties(value, "dataset"))
        {
            var path = SpecFieldReader.Child("dataset", property.Name);
            var field = property.Value;
            switch (property.Name)
            {
                case "name":
                    if (_fields.TryReadString(field, path, out var name))
                    {
                        dataset = dataset with { Name = name };
                    }
                    else
                    {
                        _datasetReadable = false;
                    }
                    break;
                case "path":
                    if (_fields.TryReadString(field, path, out var folder))
                    {
                        if (string.IsNullOrWhiteSpace(folder))
                        {
                            _fields.Report(path, "path must not be blank");
                        }
                        dataset = dataset with { Path = folder };
                    }
                    break;
                case "limit":
                    if (_fields.TryReadInt(field, path, out var limit))
                    {
                        if (limit < 1)
                        {
                            _fields.Report(path, $"limit must be at least 1, got {limit}");
                        }
                        else
                        {
                            dataset = dataset with { Limit = limit };
                        }
                    }
                    break;
                case "mean":
                    dataset = dataset with { Mean = ReadChannelValues(field, path, mustBePositive: false) };
                    break;
                case "std":
                    dataset = dataset with { Std = ReadChannelValues(field, path, mustBePositive: true) };
                    break;
                case "augment":
                    if (_fields.TryReadBool(field, path, out var augment))
                    {
                        dataset = dataset with { Augment = augment };
                    }
                    break;
                case Hyperparameters.PermutePixelsSeed:
                    _written.Add(property.Name);
                    if (_fields.TryRead(Hyperparameters.Find(property.Name)!, catalog, field, path, out var seed))
                    {
                        _fixed[property.Name] = seed;
                    }
                    break;
                default:
                    _fields.Report(path, $"unknown dataset field \"{property.Name}\"{ClosestName.Hint(property.Name, DatasetFields)}");
                    break;
            }
        }
        _dataset = dataset;
    }

    private double[]? ReadChannelValues(JsonElement value, string path, bool mustBePositive)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            _fields.Report(path, $"expected a list with one number per channel, got {SpecFieldReader.Describe(value)}");
            return null;
        }
        var values = new double[value.GetArrayLength()];
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = SpecFieldReader.Item(path, index);
            if (_fields.TryReadNumber(item, itemPath, out var number) && mustBePositive && number <= 0)
            {
                _fields.Report(itemPath, $"a standard deviation must be greater than 0, got {TrialParameter.Format(number)}");
            }
            values[index++] = number;
        }
        return values;
    }

    private void ReadGrid(JsonElement grid)
    {
        if (!_fields.IsObject(grid, "grid"))
        {
            return;
        }
        foreach (var property in _fields.Properties(grid, "grid"))
        {
            var path = SpecFieldReader.Child("grid", property.Name);
            if (Hyperparameters.Find(property.Name) is not { } parameter)
            {
                _fields.Report(path, TopLevelFields.Contains(property.Name) || DatasetFields.Contains(property.Name)
                    ? $"{property.Name} cannot vary within a sweep; set it once outside grid"
                    : $"unknown hyperparameter \"{property.Name}\"{ClosestName.Hint(property.Name, Hyperparameters.All.Select(p => p.Name))}; "
                      + "the grid can vary " + string.Join(", ", Hyperparameters.All.Select(p => p.Name)));
                continue;
            }
            if (property.Value.ValueKind != JsonValueKind.Array)
            {
                _fields.Report(path, $"expected a list of values, got {SpecFieldReader.Describe(property.Value)}; a single value belongs {parameter.FixedPlace}");
                continue;
            }
            _gridSizes[parameter.Name] = property.Value.GetArrayLength();
            if (_written.Contains(parameter.Name))
            {
                _fields.Report(path, $"{parameter.Name} is both fixed {parameter.FixedPlace} and varied here; keep one");
            }
            if (ReadGridValues(parameter, property.Value, path) is { } values)
            {
                _grid.Add(new GridAxis(parameter.Name, values));
            }
        }
    }

    /// <summary>The list's values, or null when it is empty or any value is invalid or repeated.</summary>
    private List<object?>? ReadGridValues(Hyperparameter parameter, JsonElement list, string path)
    {
        if (list.GetArrayLength() == 0)
        {
            _fields.Report(path, $"empty list: give {parameter.Name} at least one value, or remove it from grid");
            return null;
        }
        var values = new List<object?>(list.GetArrayLength());
        var firstIndexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var allValid = true;
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemPath = SpecFieldReader.Item(path, index);
            if (!_fields.TryRead(parameter, catalog, item, itemPath, out var value))
            {
                allValid = false;
            }
            else if (!firstIndexOf.TryAdd(TrialParameter.Format(value), index))
            {
                _fields.Report(itemPath, $"duplicate of {SpecFieldReader.Item(path, firstIndexOf[TrialParameter.Format(value)])} ({TrialParameter.Format(value)})");
                allValid = false;
            }
            values.Add(value);
            index++;
        }
        return allValid ? values : null;
    }

    private void CheckAgainstCatalog(DatasetSpec dataset)
    {
        if (!catalog.Datasets.TryGetValue(dataset.Name, out var known))
        {
            _fields.Report("dataset.name", $"unknown dataset \"{dataset.Name}\"{ClosestName.Hint(dataset.Name, catalog.Datasets.Keys)}; known datasets: "
                + string.Join(", ", catalog.Datasets.Keys.Order(StringComparer.Ordinal)));
            return;
        }
        if (known.RequiresPath && dataset.Path is null)
        {
            _fields.Report("dataset.path", $"{dataset.Name} needs path: the folder holding its files");
        }
        if (dataset.Limit > known.TrainingImages)
        {
            _fields.Report("dataset.limit", $"limit {dataset.Limit:N0} is more than the {known.TrainingImages:N0} training images of {dataset.Name}");
        }
        foreach (var (field, values) in new[] { ("mean", dataset.Mean), ("std", dataset.Std) })
        {
            if (values is not null && values.Length != known.Shape.Channels)
            {
                _fields.Report($"dataset.{field}", $"{dataset.Name} has {known.Shape.Channels} channel(s), so {field} needs {known.Shape.Channels} value(s), got {values.Length}");
            }
        }
        var images = Math.Min(dataset.Limit ?? known.TrainingImages, known.TrainingImages);
        if (_folds > images)
        {
            _fields.Report("folds", $"folds ({_folds:N0}) cannot be more than the {images:N0} training images the folds are cut from");
        }
        CheckModelsFit(dataset.Name);
    }

    private void CheckModelsFit(string dataset)
    {
        if (catalog.FitCheck is null)
        {
            return;
        }
        foreach (var (path, model) in ModelsToCheck())
        {
            if (catalog.FitCheck(model, dataset) is { } problem)
            {
                _fields.Report(path, $"model {model} cannot train on {dataset}: {problem}");
            }
        }
    }

    /// <summary>The valid models the sweep trains, with where each is written; the default model when none is.</summary>
    private IEnumerable<(string Path, string Model)> ModelsToCheck()
    {
        if (_gridSizes.ContainsKey(Hyperparameters.Model))
        {
            var axis = _grid.FirstOrDefault(axis => axis.Name == Hyperparameters.Model);
            return axis is null
                ? []
                : axis.Values.Select((model, index) => (SpecFieldReader.Item("grid.model", index), (string)model!));
        }
        if (_fixed.TryGetValue(Hyperparameters.Model, out var fixedModel))
        {
            return [("model", (string)fixedModel!)];
        }
        return _written.Contains(Hyperparameters.Model) ? [] : [("model", new TrialSpec().Model)];
    }

    private void CheckTrialCount(string path)
    {
        if (_folds is not { } folds)
        {
            return;
        }
        var trials = SweepExpander.CountTrials(folds, _gridSizes.Values);
        if (trials > limits.MaxTrials)
        {
            _fields.Report(path, $"the sweep expands to {trials:N0} trials (grid lists of {string.Join(" × ", _gridSizes.Values)} × {folds} folds), "
                + $"more than the limit of {limits.MaxTrials:N0}; shorten the grid lists or use fewer folds");
        }
    }

    private ParsedSweep Build()
    {
        var trial = new TrialSpec
        {
            Dataset = _dataset,
            Folds = _folds!.Value,
            Stratified = _stratified,
            ShuffleFolds = _shuffleFolds,
            EvaluateTest = _evaluateTest,
            NoopSeconds = _noopSeconds ?? 0,
        };
        foreach (var (name, value) in _fixed)
        {
            trial = Hyperparameters.Find(name)!.Apply(trial, value);
        }
        var spec = new SweepSpec { Id = _id, Name = _name!, Base = trial, Grid = _grid };
        // Without a client id every submit is a new sweep, so a fresh random id is right.
        return new ParsedSweep(_id ?? Guid.NewGuid().ToString("N")[..16], spec);
    }

    private static bool IsTopLevel(Hyperparameter parameter) => parameter.FixedPath == parameter.Name;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();
}
