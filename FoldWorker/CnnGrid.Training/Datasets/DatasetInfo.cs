namespace CnnGrid.Training.Datasets;

/// <summary>What a model needs to know about a dataset: its image shape and classes.</summary>
public sealed record DatasetInfo(string Name, ImageShape Shape, int Classes, IReadOnlyList<string> ClassNames);
