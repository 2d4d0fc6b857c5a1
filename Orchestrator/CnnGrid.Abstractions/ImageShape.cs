namespace CnnGrid.Abstractions;

/// <summary>Shape of one image, channels first (as TorchSharp's conv layers take it).</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public int Pixels => Channels * Height * Width;

    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
