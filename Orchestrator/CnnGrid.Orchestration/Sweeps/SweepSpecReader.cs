using System.Globalization;
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
        ["$schema", "id", "name", "dataset", "folds", "stratified", "shuffleFolds", "evaluateTest", "refit", "noopSeconds", TrialParameters.TrialTimeoutSeconds, "alpha", "rope", "repeats", "search", "grid"];

    // Before SearchFields, which static initialization reads it for.
    private static IReadOnlyList<string> HalvingFields { get; } = ["eta", "minEpochs", "maxEpochs"];

    public static IReadOnlyList<string> SearchFields { get; } = ["kind", "configurations", "seed", .. HalvingFields];

    public static IReadOnlyList<string> DatasetFields { get; } =
        ["name", "path", "limit", "mean", "std", "augment", Hyperparameters.PermutePixelsSeed];

    /// <summary>Every field allowed at the top level: <see cref="SweepFields"/> and the hyperparameters fixed there.</summary>
    public static IReadOnlyList<string> TopLevelFields { get; } =
        [.. SweepFields, .. Hyperparameters.All.Where(IsTopLevel).Select(parameter => parameter.Name)];

    private readonly SpecFieldReader fields = new();

    // Valid fixed hyperparameter values by name, and the names written at their fixed place (valid or not).
    private readonly Dictionary<string, object?> fixedValues = [];
    private readonly HashSet<string> writtenFixed = [];

    private string? readId;
    private string? readName;
    private DatasetSpec readDataset = new();

    // False when the dataset section or its name is unreadable, so catalog checks would check the wrong dataset.
    private bool datasetReadable = true;
    private int? readFolds = new TrialSpec().Folds;
    private bool stratified;
    private bool shuffleFolds;
    private bool? shuffleFoldsGiven;
    private int repeats = 1;
    private bool evaluateTest;
    private bool? refit;
    private double? noopSeconds;
    private double timeoutSeconds = TrialSpec.DefaultTimeoutSeconds;
    private readonly List<GridAxis> gridAxes = [];

    // A random search: how, and what it draws from (the grid's lists and ranges, seed aside), in the spec's order.
    private SweepSearch search = SweepSearch.Default;
    private readonly List<SearchAxis> searchAxes = [];

    // Length of every grid list by name, valid values or not, so the size check runs even beside other problems.
    private readonly Dictionary<string, int> gridSizes = [];

    public ParseResult Read(JsonElement root)
    {
        if (!fields.IsObject(root, "$"))
        {
            return ParseResult.Invalid(fields.Problems);
        }
        JsonElement? grid = null;
        foreach (var property in fields.Properties(root, ""))
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
            fields.Report("name", "missing: give the sweep a name");
        }
        if (grid is { } gridElement)
        {
            ReadGrid(gridElement);
        }
        if (datasetReadable)
        {
            CheckAgainstCatalog(readDataset);
        }
        CheckNoopSeconds();
        CheckRepeats();
        CheckSearchSpace();
        CheckHalving();
        CheckTrialCount(grid is null ? "folds" : "grid");
        if (fields.Problems.Count > 0)
        {
            return ParseResult.Invalid(fields.Problems);
        }
        var sweep = Build();
        var sizeProblems = TrialSizeCheck.Problems(sweep.Spec, writtenFixed, limits);
        return sizeProblems.Count > 0 ? ParseResult.Invalid(sizeProblems) : ParseResult.Valid(sweep);
    }

    private void ReadTopLevel(string name, JsonElement value)
    {
        switch (name)
        {
            case "$schema":
                // Lets editors validate the file against sweep.schema.json; the server ignores it.
                fields.TryReadString(value, name, out _);
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
                readFolds = fields.TryReadInt(value, name, out var folds) ? folds : null;
                if (readFolds < 2)
                {
                    fields.Report(name, $"folds must be at least 2, got {folds}");
                    readFolds = null;
                }
                break;
            case "stratified":
                fields.TryReadBool(value, name, out stratified);
                break;
            case "shuffleFolds":
                if (fields.TryReadBool(value, name, out shuffleFolds))
                    shuffleFoldsGiven = shuffleFolds;
                break;
            case "repeats":
                ReadRepeats(value);
                break;
            case "search":
                ReadSearch(value);
                break;
            case "evaluateTest":
                fields.TryReadBool(value, name, out evaluateTest);
                break;
            case "refit":
                if (fields.TryReadBool(value, name, out var refitGiven))
                    refit = refitGiven;
                break;
            case "noopSeconds":
                ReadNoopSeconds(value);
                break;
            case TrialParameters.TrialTimeoutSeconds:
                if (fields.TryRead(Hyperparameters.TrialTimeout, catalog, value, name, out var timeout))
                    timeoutSeconds = (double)timeout!;
                break;
            case "alpha":
                // Read again from the stored spec when results are compared (ConfigComparison); checked here only.
                if (fields.TryReadNumber(value, name, out var alpha) && alpha is <= 0 or >= 1)
                    fields.Report(name, $"alpha must be in (0, 1), got {TrialParameter.Format(alpha)}");
                break;
            case "rope":
                if (fields.TryReadNumber(value, name, out var rope) && rope is < 0 or >= 1)
                    fields.Report(name, $"rope must be in [0, 1) (an accuracy difference, as a fraction), got {TrialParameter.Format(rope)}");
                break;
            default:
                ReadFixedHyperparameter(name, value);
                break;
        }
    }

    private void ReadId(JsonElement value)
    {
        if (!fields.TryReadString(value, "id", out var id))
        {
            return;
        }
        if (IdPattern().IsMatch(id))
        {
            readId = id;
        }
        else
        {
            fields.Report("id", $"id must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit; got \"{id}\"");
        }
    }

    private void ReadName(JsonElement value)
    {
        if (!fields.TryReadString(value, "name", out var name))
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            fields.Report("name", $"name must be non-blank and at most {MaxNameLength} characters");
        }
        else
        {
            readName = name;
        }
    }

    private void ReadFixedHyperparameter(string name, JsonElement value)
    {
        var parameter = Hyperparameters.Find(name);
        if (parameter is null || !IsTopLevel(parameter))
        {
            fields.Report(name, DatasetFields.Contains(name)
                ? $"{name} belongs inside dataset"
                : $"unknown field \"{name}\"{ClosestName.Hint(name, TopLevelFields)}");
            return;
        }
        writtenFixed.Add(name);
        if (value.ValueKind == JsonValueKind.Array)
        {
            fields.Report(name, $"{name} takes a single value here; to try several, list them under grid.{name}");
        }
        else if (fields.TryRead(parameter, catalog, value, name, out var parsed))
        {
            fixedValues[name] = parsed;
        }
    }

    private void ReadNoopSeconds(JsonElement value)
    {
        if (!fields.TryReadNumber(value, "noopSeconds", out var seconds))
        {
            return;
        }
        if (seconds is < 0 or > TrialSpec.MaxNoopSeconds)
        {
            fields.Report("noopSeconds", $"noopSeconds must be in [0, {TrialSpec.MaxNoopSeconds}], got {TrialParameter.Format(seconds)}");
        }
        else
        {
            noopSeconds = seconds;
        }
    }

    /// <summary>A noop epoch's length means nothing to a model that trains: every model the sweep trains must be noop.</summary>
    private void CheckNoopSeconds()
    {
        if (noopSeconds is null)
        {
            return;
        }
        foreach (var (path, model) in ModelsToCheck().Where(written => written.Model != TrialSpec.NoopModel))
        {
            fields.Report("noopSeconds", $"noopSeconds applies only to model {TrialSpec.NoopModel}, but {path} is {model}");
        }
    }

    /// <summary>Reads the dataset section, keeping its valid fields so later checks can use them.</summary>
    private void ReadDataset(JsonElement value)
    {
        if (!fields.IsObject(value, "dataset"))
        {
            datasetReadable = false;
            return;
        }
        var dataset = new DatasetSpec();
        foreach (var property in fields.Properties(value, "dataset"))
        {
            var path = SpecFieldReader.Child("dataset", property.Name);
            var field = property.Value;
            switch (property.Name)
            {
                case "name":
                    if (fields.TryReadString(field, path, out var name))
                    {
                        dataset = dataset with { Name = name };
                    }
                    else
                    {
                        datasetReadable = false;
                    }
                    break;
                case "path":
                    if (fields.TryReadString(field, path, out var folder))
                    {
                        if (string.IsNullOrWhiteSpace(folder))
                        {
                            fields.Report(path, "path must not be blank");
                        }
                        dataset = dataset with { Path = folder };
                    }
                    break;
                case "limit":
                    if (fields.TryReadInt(field, path, out var limit))
                    {
                        if (limit < 1)
                        {
                            fields.Report(path, $"limit must be at least 1, got {limit}");
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
                    if (fields.TryReadBool(field, path, out var augment))
                    {
                        dataset = dataset with { Augment = augment };
                    }
                    break;
                case Hyperparameters.PermutePixelsSeed:
                    writtenFixed.Add(property.Name);
                    if (fields.TryRead(Hyperparameters.Find(property.Name)!, catalog, field, path, out var seed))
                    {
                        fixedValues[property.Name] = seed;
                    }
                    break;
                default:
                    fields.Report(path, $"unknown dataset field \"{property.Name}\"{ClosestName.Hint(property.Name, DatasetFields)}");
                    break;
            }
        }
        readDataset = dataset;
    }

    private double[]? ReadChannelValues(JsonElement value, string path, bool mustBePositive)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            fields.Report(path, $"expected a list with one number per channel, got {SpecFieldReader.Describe(value)}");
            return null;
        }
        var values = new double[value.GetArrayLength()];
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = SpecFieldReader.Item(path, index);
            if (fields.TryReadNumber(item, itemPath, out var number) && mustBePositive && number <= 0)
            {
                fields.Report(itemPath, $"a standard deviation must be greater than 0, got {TrialParameter.Format(number)}");
            }
            values[index++] = number;
        }
        return values;
    }

    private void ReadGrid(JsonElement grid)
    {
        if (!fields.IsObject(grid, "grid"))
        {
            return;
        }
        foreach (var property in fields.Properties(grid, "grid"))
        {
            var path = SpecFieldReader.Child("grid", property.Name);
            if (Hyperparameters.Find(property.Name) is not { } parameter)
            {
                fields.Report(path, TopLevelFields.Contains(property.Name) || DatasetFields.Contains(property.Name)
                    ? $"{property.Name} cannot vary within a sweep; set it once outside grid"
                    : $"unknown hyperparameter \"{property.Name}\"{ClosestName.Hint(property.Name, Hyperparameters.All.Select(p => p.Name))}; "
                      + "the grid can vary " + string.Join(", ", Hyperparameters.All.Select(p => p.Name)));
                continue;
            }
            if (property.Value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
            {
                fields.Report(path, $"expected a list of values, got {SpecFieldReader.Describe(property.Value)}; a single value belongs {parameter.FixedPlace}");
                continue;
            }
            if (writtenFixed.Contains(parameter.Name))
            {
                fields.Report(path, $"{parameter.Name} is both fixed {parameter.FixedPlace} and varied here; keep one");
            }
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                ReadDistribution(parameter, property.Value, path);
            }
            else
            {
                ReadGridList(parameter, property.Value, path);
            }
        }
    }

    private void ReadGridList(Hyperparameter parameter, JsonElement list, string path)
    {
        gridSizes[parameter.Name] = list.GetArrayLength();
        if (ReadGridValues(parameter, list, path) is not { } values)
        {
            return;
        }
        gridAxes.Add(new GridAxis(parameter.Name, values));
        if (parameter.Name != Hyperparameters.Seed)
        {
            // In a random search a list is drawn from, as a choice is.
            searchAxes.Add(new SearchAxis(parameter.Name, values, null));
        }
    }

    /// <summary>A random search's <c>{"uniform"|"logUniform"|"intUniform": [low, high]}</c> or <c>{"choice": [...]}</c>.</summary>
    private void ReadDistribution(Hyperparameter parameter, JsonElement distribution, string path)
    {
        var properties = fields.Properties(distribution, path).ToList();
        if (properties is not [var only] || !SearchDistribution.Kinds.Contains(only.Name))
        {
            fields.Report(path, $"expected a list, or one of {string.Join(", ", SearchDistribution.Kinds.Select(kind => $"{{\"{kind}\": ...}}"))}");
            return;
        }
        var kindPath = SpecFieldReader.Child(path, only.Name);
        if (!search.Draws)
        {
            fields.Report(path, $"a distribution ({only.Name}) is drawn from only when configurations are drawn: add \"search\": {{\"kind\": \"random\", \"configurations\": N}} (or \"halving\" with configurations), or give a list");
            return;
        }
        if (parameter.Name == Hyperparameters.Seed)
        {
            fields.Report(path, "seeds are not drawn: give a list of seeds (repeated cross-validation) or use repeats");
            return;
        }
        if (only.Name == SearchDistribution.Choice)
        {
            if (only.Value.ValueKind != JsonValueKind.Array)
                fields.Report(kindPath, $"expected a list of values, got {SpecFieldReader.Describe(only.Value)}");
            else
                ReadGridList(parameter, only.Value, kindPath);
            return;
        }
        var integers = only.Name == SearchDistribution.IntUniform;
        var expected = integers ? TrialValueKind.Integer : TrialValueKind.Number;
        if (parameter.Kind != expected)
        {
            fields.Report(path, $"{only.Name} draws {(integers ? "integers" : "numbers")}, and {parameter.Name} takes " +
                (parameter.Kind == TrialValueKind.Integer ? "integers: use intUniform" : parameter.Kind == TrialValueKind.Number ? "numbers: use uniform or logUniform" : "names: use choice or a list"));
            return;
        }
        gridSizes[parameter.Name] = 1;
        if (only.Value.ValueKind != JsonValueKind.Array || only.Value.GetArrayLength() != 2)
        {
            fields.Report(kindPath, $"expected [low, high], got {SpecFieldReader.Describe(only.Value)}");
            return;
        }
        var ends = new double[2];
        var index = 0;
        foreach (var end in only.Value.EnumerateArray())
        {
            if (!fields.TryRead(parameter, catalog, end, SpecFieldReader.Item(kindPath, index), out var value) || value is null)
                return;
            ends[index++] = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        }
        if (!(ends[0] < ends[1]) && !(integers && ends[0] == ends[1]))
            fields.Report(kindPath, $"low ({TrialParameter.Format(ends[0])}) must be below high ({TrialParameter.Format(ends[1])})");
        else if (only.Name == SearchDistribution.LogUniform && ends[0] <= 0)
            fields.Report(SpecFieldReader.Item(kindPath, 0), $"logUniform needs a positive low, got {TrialParameter.Format(ends[0])}");
        else
            searchAxes.Add(new SearchAxis(parameter.Name, null, new SearchDistribution(only.Name, ends[0], ends[1])));
    }

    /// <summary>
    /// The spec's <c>search</c>: <c>{"kind": "grid"|"random"|"halving", "configurations": N, "seed": S}</c>, halving with
    /// <c>"eta"</c>, <c>"minEpochs"</c> and <c>"maxEpochs"</c>.
    /// </summary>
    private void ReadSearch(JsonElement value)
    {
        const string path = "search";
        if (!fields.IsObject(value, path))
            return;
        var kind = SweepSearch.Grid;
        int? configurations = null;
        var seed = 0;
        var halving = new HalvingSchedule();
        foreach (var property in fields.Properties(value, path))
        {
            var fieldPath = SpecFieldReader.Child(path, property.Name);
            switch (property.Name)
            {
                case "kind":
                    if (!fields.TryReadString(property.Value, fieldPath, out var read))
                        break;
                    if (SweepSearch.Kinds.Contains(read))
                        kind = read;
                    else
                        fields.Report(fieldPath, $"unknown search kind \"{read}\"; known kinds: {string.Join(", ", SweepSearch.Kinds)}");
                    break;
                case "configurations":
                    if (fields.TryReadInt(property.Value, fieldPath, out var count))
                    {
                        if (count is < 1 || count > limits.MaxTrials)
                            fields.Report(fieldPath, $"configurations must be in [1, {limits.MaxTrials:N0}], got {count:N0}");
                        else
                            configurations = count;
                    }
                    break;
                case "seed":
                    if (fields.TryReadInt(property.Value, fieldPath, out var drawSeed))
                    {
                        if (drawSeed < 0)
                            fields.Report(fieldPath, $"seed must be 0 or more, got {drawSeed}");
                        else
                            seed = drawSeed;
                    }
                    break;
                case "eta":
                    if (fields.TryReadInt(property.Value, fieldPath, out var eta))
                    {
                        if (eta is < HalvingSchedule.MinEta or > HalvingSchedule.MaxEta)
                            fields.Report(fieldPath, $"eta must be in [{HalvingSchedule.MinEta}, {HalvingSchedule.MaxEta}] (each rung keeps at most 1/eta), got {eta}");
                        else
                            halving = halving with { Eta = eta };
                    }
                    break;
                case "minEpochs":
                    if (ReadHalvingEpochs(property.Value, fieldPath) is { } minEpochs)
                        halving = halving with { MinEpochs = minEpochs };
                    break;
                case "maxEpochs":
                    if (ReadHalvingEpochs(property.Value, fieldPath) is { } maxEpochs)
                        halving = halving with { MaxEpochs = maxEpochs };
                    break;
                default:
                    fields.Report(fieldPath, $"unknown search field \"{property.Name}\"{ClosestName.Hint(property.Name, SearchFields)}");
                    break;
            }
        }
        var configurationsGiven = value.TryGetProperty("configurations", out _);
        if (kind == SweepSearch.Random && !configurationsGiven)
            fields.Report(SpecFieldReader.Child(path, "configurations"), "missing: a random search draws this many configurations");
        if (kind == SweepSearch.Grid && (configurationsGiven || value.TryGetProperty("seed", out _)))
            fields.Report(path, "configurations and seed belong to a random search (\"kind\": \"random\") or halving over drawn configurations; a grid runs every combination");
        if (kind == SweepSearch.Halving && !configurationsGiven && value.TryGetProperty("seed", out _))
            fields.Report(path, "seed draws configurations: halving over drawn configurations needs configurations too");
        var halvingFields = HalvingFields.Where(name => value.TryGetProperty(name, out _)).ToList();
        if (kind != SweepSearch.Halving && halvingFields.Count > 0)
            fields.Report(path, $"{string.Join(", ", halvingFields)} belong to successive halving (\"kind\": \"halving\")");
        if (kind == SweepSearch.Halving && halving.MinEpochs > halving.MaxEpochs)
            fields.Report(SpecFieldReader.Child(path, "minEpochs"), $"minEpochs ({halving.MinEpochs}) must not exceed maxEpochs ({halving.MaxEpochs})");
        search = new SweepSearch(kind, configurations, seed, kind == SweepSearch.Halving ? halving : null);
    }

    /// <summary>A rung's epochs, valid as the <c>epochs</c> hyperparameter is.</summary>
    private int? ReadHalvingEpochs(JsonElement value, string path)
    {
        if (!fields.TryReadInt(value, path, out var epochs))
            return null;
        if (Hyperparameters.Find(Hyperparameters.Epochs)!.Check(epochs, catalog) is not { } problem)
            return epochs;
        fields.Report(path, problem);
        return null;
    }

    /// <summary>Under successive halving the rungs set each trial's epochs.</summary>
    private void CheckHalving()
    {
        if (search.Schedule is not { } halving)
            return;
        if (gridSizes.ContainsKey(Hyperparameters.Epochs))
            fields.Report("grid.epochs", "under successive halving the rungs set the epochs (search.minEpochs … search.maxEpochs): remove epochs from grid");
        else if (writtenFixed.Contains(Hyperparameters.Epochs) && fixedValues.GetValueOrDefault(Hyperparameters.Epochs) is int epochs && epochs != halving.MaxEpochs)
            fields.Report(Hyperparameters.Epochs, $"under successive halving the last rung trains search.maxEpochs ({halving.MaxEpochs}) epochs, but epochs is {epochs}: remove epochs or make it equal");
    }

    /// <summary>A random search cannot draw more distinct configurations than its lists (and integer ranges) allow.</summary>
    private void CheckSearchSpace()
    {
        if (search.Configurations is { } wanted && RandomSearch.SpaceSize(searchAxes) is { } space && space < wanted)
            fields.Report("search.configurations", $"{wanted:N0} configurations asked for, but the grid's lists and ranges allow only {space:N0} distinct ones");
    }

    /// <summary>The list's values, or null when it is empty or any value is invalid or repeated.</summary>
    private List<object?>? ReadGridValues(Hyperparameter parameter, JsonElement list, string path)
    {
        if (list.GetArrayLength() == 0)
        {
            fields.Report(path, $"empty list: give {parameter.Name} at least one value, or remove it from grid");
            return null;
        }
        var values = new List<object?>(list.GetArrayLength());
        var firstIndexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var allValid = true;
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemPath = SpecFieldReader.Item(path, index);
            if (!fields.TryRead(parameter, catalog, item, itemPath, out var value))
            {
                allValid = false;
            }
            else if (!firstIndexOf.TryAdd(TrialParameter.Format(value), index))
            {
                fields.Report(itemPath, $"duplicate of {SpecFieldReader.Item(path, firstIndexOf[TrialParameter.Format(value)])} ({TrialParameter.Format(value)})");
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
            fields.Report("dataset.name", $"unknown dataset \"{dataset.Name}\"{ClosestName.Hint(dataset.Name, catalog.Datasets.Keys)}; known datasets: "
                + string.Join(", ", catalog.Datasets.Keys.Order(StringComparer.Ordinal)));
            return;
        }
        if (known.RequiresPath && dataset.Path is null)
        {
            fields.Report("dataset.path", $"{dataset.Name} needs path: the folder holding its files");
        }
        if (dataset.Limit > known.TrainingImages)
        {
            fields.Report("dataset.limit", $"limit {dataset.Limit:N0} is more than the {known.TrainingImages:N0} training images of {dataset.Name}");
        }
        foreach (var (field, values) in new[] { ("mean", dataset.Mean), ("std", dataset.Std) })
        {
            if (values is not null && values.Length != known.Shape.Channels)
            {
                fields.Report($"dataset.{field}", $"{dataset.Name} has {known.Shape.Channels} channel(s), so {field} needs {known.Shape.Channels} value(s), got {values.Length}");
            }
        }
        var images = Math.Min(dataset.Limit ?? known.TrainingImages, known.TrainingImages);
        if (readFolds > images)
        {
            fields.Report("folds", $"folds ({readFolds:N0}) cannot be more than the {images:N0} training images the folds are cut from");
        }
        else if (readFolds is { } folds)
        {
            CheckBatchSizeFits(images - ((images + folds - 1) / folds));
        }
        CheckModelsFit(dataset.Name);
    }

    /// <summary>A batch larger than the smallest training fold would make every epoch one short batch: refused, naming the fold's size.</summary>
    private void CheckBatchSizeFits(int trainingImages)
    {
        const string name = "batchSize";
        var (path, sizes) = gridAxes.FirstOrDefault(axis => axis.Name == name) is { } axis
            ? (SpecFieldReader.Child("grid", name), axis.Values.OfType<int>())
            : searchAxes.FirstOrDefault(axis => axis.Name == name) is { Range: { } range }
                ? (SpecFieldReader.Child("grid", name), [(int)range.High])
                : (name, [fixedValues.TryGetValue(name, out var size) && size is int given ? given : new TrialSpec().BatchSize]);
        if (sizes.Where(batch => batch > trainingImages).Order().LastOrDefault() is > 0 and var largest)
        {
            fields.Report(path, $"batchSize {largest:N0} is more than the {trainingImages:N0} images of the smallest training fold; use at most {trainingImages:N0}");
        }
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
                fields.Report(path, $"model {model} cannot train on {dataset}: {problem}");
            }
        }
    }

    /// <summary>The valid models the sweep trains, with where each is written; the default model when none is.</summary>
    private IEnumerable<(string Path, string Model)> ModelsToCheck()
    {
        if (gridSizes.ContainsKey(Hyperparameters.Model))
        {
            var axis = gridAxes.FirstOrDefault(axis => axis.Name == Hyperparameters.Model);
            return axis is null
                ? []
                : axis.Values.Select((model, index) => (SpecFieldReader.Item("grid.model", index), (string)model!));
        }
        if (fixedValues.TryGetValue(Hyperparameters.Model, out var fixedModel))
        {
            return [("model", (string)fixedModel!)];
        }
        return writtenFixed.Contains(Hyperparameters.Model) ? [] : [("model", new TrialSpec().Model)];
    }

    private void CheckTrialCount(string path)
    {
        if (readFolds is not { } folds)
        {
            return;
        }
        if (search.Configurations is { } configurations)
        {
            var seeds = gridSizes.GetValueOrDefault(Hyperparameters.Seed, 1);
            var drawn = SweepExpander.CountTrials(folds, [configurations, seeds, repeats]);
            if (drawn > limits.MaxTrials)
                fields.Report("search.configurations", $"the sweep expands to {drawn:N0} trials ({configurations:N0} configurations × {seeds} seed(s) × {repeats} repeat(s) × {folds} folds), "
                    + $"more than the limit of {limits.MaxTrials:N0}; draw fewer configurations or use fewer folds");
            return;
        }
        var trials = SweepExpander.CountTrials(folds, gridSizes.Values.Append(repeats));
        if (trials > limits.MaxTrials)
        {
            fields.Report(path, $"the sweep expands to {trials:N0} trials (grid lists of {string.Join(" × ", gridSizes.Values)} × {repeats} repeat(s) × {folds} folds), "
                + $"more than the limit of {limits.MaxTrials:N0}; shorten the grid lists or use fewer folds");
        }
    }

    /// <summary>Repeated k-fold: R differently shuffled splits, each configuration validated on all R·k folds.</summary>
    private void ReadRepeats(JsonElement value)
    {
        if (!fields.TryReadInt(value, "repeats", out var read))
            return;
        if (read is < 1 or > MaxRepeats)
            fields.Report("repeats", $"repeats must be in [1, {MaxRepeats}], got {read}");
        else
            repeats = read;
    }

    private void CheckRepeats()
    {
        if (repeats == 1)
            return;
        if (gridSizes.ContainsKey(Hyperparameters.Seed))
            fields.Report("repeats", "repeats gives each repeat a seed of its own: give either repeats or a grid of seeds, not both");
        if (shuffleFoldsGiven == false)
            fields.Report("repeats", "repeated k-fold shuffles each repeat's split: repeats needs shuffleFolds true (or not given)");
    }

    private ParsedSweep Build()
    {
        var trial = new TrialSpec
        {
            Dataset = readDataset,
            Folds = readFolds!.Value,
            Stratified = stratified,
            ShuffleFolds = shuffleFolds,
            EvaluateTest = evaluateTest,
            NoopSeconds = noopSeconds ?? 0,
            TimeoutSeconds = timeoutSeconds,
        };
        foreach (var (name, value) in fixedValues)
        {
            trial = Hyperparameters.Find(name)!.Apply(trial, value);
        }
        if (repeats > 1)
        {
            // Repeat r shuffles its split with seed + r: the seeds a grid of seeds would give, as repeated k-fold does.
            trial = trial with { ShuffleFolds = true };
            gridAxes.Add(new GridAxis(Hyperparameters.Seed, [.. Enumerable.Range(0, repeats).Select(r => (object?)(trial.Seed + r))]));
        }
        if (search.Schedule is { } halving)
            trial = trial with { Epochs = halving.MaxEpochs };
        var spec = new SweepSpec { Id = readId, Name = readName!, Base = trial, Grid = gridAxes, Search = search, Refit = refit ?? search.RefitsByDefault };
        if (search.Configurations is { } configurations)
        {
            spec = spec with
            {
                Grid = [.. gridAxes.Where(axis => axis.Name == Hyperparameters.Seed)],
                Samples = RandomSearch.Draw(searchAxes, configurations, search.Seed),
            };
        }
        // Without a client id every submit is a new sweep, so a fresh random id is right.
        return new ParsedSweep(readId ?? Guid.NewGuid().ToString("N")[..16], spec);
    }

    /// <summary>10 × 10-fold cross-validation is the usual ceiling; 100 leaves room without letting one field explode a sweep.</summary>
    public const int MaxRepeats = 100;

    private static bool IsTopLevel(Hyperparameter parameter) => parameter.FixedPath == parameter.Name;

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex IdPattern();
}
