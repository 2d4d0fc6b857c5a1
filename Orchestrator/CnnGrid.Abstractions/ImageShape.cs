namespace CnnGrid.Abstractions;

/// <summary>Shape of one image, channels first (as TorchSharp's conv layers take it).</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public int Pixels => Channels * Height * Width;

    /// <summary>The map a square window leaves after sliding over this one (a convolution's or a pooling's output).</summary>
    /// <param name="layer">The window's kind, for the message.</param>
    /// <exception cref="ArgumentException">The window does not fit: the map would shrink below 1×1.</exception>
    public ImageShape Slide(int kernel, int padding, int stride, string layer)
    {
        if (Height + 2 * padding < kernel || Width + 2 * padding < kernel)
            throw new ArgumentException(
                $"The input is too small for it: its {kernel}x{kernel} {layer} (padding {padding}) gets a " +
                $"{Height}x{Width} feature map and would shrink it below 1x1.");
        return this with
        {
            Height = (Height + 2 * padding - kernel) / stride + 1,
            Width = (Width + 2 * padding - kernel) / stride + 1,
        };
    }

    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
