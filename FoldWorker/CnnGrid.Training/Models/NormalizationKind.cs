namespace CnnGrid.Training.Models;

/// <summary>Normalization layer a model inserts at its marked places.</summary>
public enum NormalizationKind
{
    None,
    BatchNorm,
    LayerNorm,
}
