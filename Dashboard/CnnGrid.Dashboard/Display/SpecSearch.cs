using System.Text.Json;

namespace CnnGrid.Dashboard.Display;

/// <summary>
/// What the sweep page needs of a spec's <c>search</c> and <c>refit</c>: the successive-halving rungs' epochs (none for a
/// grid or a random search) and whether the best configuration is refit. Read from the spec as submitted, so the
/// orchestrator's defaults (<c>HalvingSchedule</c>: eta 3, 1 to 9 epochs; a refit unless the search is a grid) are
/// repeated here: the dashboard knows the orchestrator through its API only.
/// </summary>
/// <param name="RungEpochs">The epoch each rung ends at, first to last: minEpochs · eta^k below maxEpochs, then maxEpochs.</param>
public sealed record SpecSearch(IReadOnlyList<int> RungEpochs, bool Refits)
{
    public bool Halves => RungEpochs.Count > 0;

    public static SpecSearch Of(JsonElement spec)
    {
        var search = spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("search", out var found) && found.ValueKind == JsonValueKind.Object
            ? found
            : default;
        var kind = Field(search, "kind") is { ValueKind: JsonValueKind.String } named ? named.GetString() : "grid";
        var refits = spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("refit", out var refit) && refit.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? refit.GetBoolean()
            : kind != "grid";
        if (kind != "halving")
            return new SpecSearch([], refits);
        int eta = Int(search, "eta") ?? 3, minEpochs = Int(search, "minEpochs") ?? 1, maxEpochs = Int(search, "maxEpochs") ?? 9;
        var rungs = new List<int>();
        // The orchestrator accepts eta ≥ 2 and minEpochs ≥ 1 only; the bounds keep any other stored spec from looping here.
        for (long epochs = Math.Max(1, minEpochs); epochs < maxEpochs; epochs *= Math.Max(2, eta))
            rungs.Add((int)epochs);
        rungs.Add(maxEpochs);
        return new SpecSearch(rungs, refits);
    }

    static JsonElement? Field(JsonElement search, string name) =>
        search.ValueKind == JsonValueKind.Object && search.TryGetProperty(name, out var value) ? value : null;

    static int? Int(JsonElement search, string name) =>
        Field(search, name) is { ValueKind: JsonValueKind.Number } number && number.TryGetInt32(out var value) ? value : null;
}
