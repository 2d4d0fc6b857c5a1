using System.Globalization;
using System.Text.Json;

namespace CnnGrid.Dashboard.Display;

/// <summary>Sorts a sweep's configurations by a column of the configuration table.</summary>
public static class ConfigOrder
{
    /// <summary>The server's ranking: by mean accuracy, best first.</summary>
    public const string Rank = "rank";
    public const string Accuracy = "accuracy";
    public const string Std = "std";
    public const string BestAccuracy = "best";
    public const string Loss = "loss";
    public const string Folds = "folds";

    /// <summary>The column key that sorts by one grid parameter.</summary>
    public static string Param(string name) => "param:" + name;

    /// <summary>
    /// <paramref name="ranked"/> (the server's order) sorted by <paramref name="column"/>; configurations not
    /// measured yet go last either way, and ties keep the server's order.
    /// </summary>
    public static IReadOnlyList<ConfigAggregate> Sort(IReadOnlyList<ConfigAggregate> ranked, string column, bool descending)
    {
        if (column == Rank)
            return descending ? ranked.Reverse().ToList() : ranked;
        Func<ConfigAggregate, IComparable?> key = column switch
        {
            Accuracy => config => config.MeanAccuracy,
            Std => config => config.StdAccuracy,
            BestAccuracy => config => config.MeanBestAccuracy,
            Loss => config => config.MeanValidationLoss,
            Folds => config => config.CompletedFolds,
            _ when column.StartsWith("param:", StringComparison.Ordinal) => config => ParamKey(config, column["param:".Length..]),
            _ => throw new ArgumentException($"unknown configuration column '{column}'", nameof(column)),
        };
        var present = ranked.Where(config => key(config) is not null);
        var sorted = descending
            ? present.OrderByDescending(key, Comparer<IComparable?>.Default)
            : present.OrderBy(key, Comparer<IComparable?>.Default);
        return sorted.Concat(ranked.Where(config => key(config) is null)).ToList();
    }

    /// <summary>Numbers compare as numbers, everything else by its text.</summary>
    static IComparable? ParamKey(ConfigAggregate config, string name) =>
        config.Params.TryGetValue(name, out var value) switch
        {
            false => null,
            true when value is JsonElement { ValueKind: JsonValueKind.Number } number => new ParamValue(number.GetDouble(), ""),
            true when value is double or int or long => new ParamValue(Convert.ToDouble(value, CultureInfo.InvariantCulture), ""),
            true => new ParamValue(double.NaN, DisplayText.Value(value)),
        };
}
