namespace CnnGrid.Training.Datasets;

/// <summary>Checks label bytes read from a file against the dataset's class count.</summary>
internal static class ClassLabels
{
    public static void Check(string path, ReadOnlySpan<byte> labels, int classes)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classes)
            {
                throw new DatasetFormatException(path, $"label {labels[i]} of item {i} is not below the class count {classes}");
            }
        }
    }
}
