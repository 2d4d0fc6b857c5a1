using CnnGrid.Training.Datasets;

namespace CnnGrid.Training.Tests.Datasets;

/// <summary>Compares <see cref="LabeledImages"/> by content (the record's own equality compares its arrays by reference).</summary>
internal sealed class LabeledImagesComparer : IEqualityComparer<LabeledImages>
{
    public static readonly LabeledImagesComparer Instance = new();

    public bool Equals(LabeledImages? x, LabeledImages? y) =>
        x is not null && y is not null && x.Shape == y.Shape && x.Pixels.AsSpan().SequenceEqual(y.Pixels)
        && x.Labels.AsSpan().SequenceEqual(y.Labels);

    public int GetHashCode(LabeledImages obj) => HashCode.Combine(obj.Shape, obj.Count);
}
