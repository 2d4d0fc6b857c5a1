using CnnGrid.Abstractions;
using CnnGrid.Training.Datasets;

namespace CnnGrid.Training.Models;

/// <summary>What a catalog model is and costs for one input shape.</summary>
/// <param name="Summary">One line: the layers and the seed they come from.</param>
/// <param name="Parameters">Trainable parameters (normalization running statistics are buffers, not counted).</param>
/// <param name="ForwardFlopsPerImage">
/// 2 × the multiply-adds of the conv and linear layers for one image's forward pass; training costs about 3× this.
/// </param>
public sealed record ModelDescription(string Name, string Summary, ImageShape Input, long Parameters, double ForwardFlopsPerImage);
