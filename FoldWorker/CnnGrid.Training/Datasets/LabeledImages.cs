using CnnGrid.Abstractions;
namespace CnnGrid.Training.Datasets;

/// <summary>Images as read from disk: raw bytes, channels first, one label byte per image.</summary>
public sealed record LabeledImages(ImageShape Shape, byte[] Pixels, byte[] Labels, IReadOnlyList<string> ClassNames)
{
    public int Count => Labels.Length;
}
