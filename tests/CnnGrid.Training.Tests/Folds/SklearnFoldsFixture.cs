using System.Text.Json;

namespace CnnGrid.Training.Tests.Folds;

/// <summary>
/// sklearn_folds.json: folds, shuffles and raw random streams recorded from scikit-learn / numpy by
/// generate_sklearn_folds.py (the external reference the fold tests compare against).
/// </summary>
public sealed record SklearnFoldsFixture(
    string Generator, SklearnFoldCase[] FoldCases, NumpyShuffleCase[] ShuffleCases, NumpyStreamCase[] StreamCases)
{
    private static readonly Lazy<SklearnFoldsFixture> Loaded = new(Load);

    public static SklearnFoldsFixture Instance => Loaded.Value;

    private static SklearnFoldsFixture Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Folds", "sklearn_folds.json");
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        return JsonSerializer.Deserialize<SklearnFoldsFixture>(File.ReadAllText(path), options)
            ?? throw new InvalidDataException($"{path} holds no fixture.");
    }
}
