namespace CnnGrid.Abstractions.Export;

/// <summary>One entry of a state dict: its name, element type, shape and contiguous little-endian elements.</summary>
public sealed record StateDictTensor(string Name, TensorElement Element, long[] Shape, byte[] Data)
{
    public long Count => Shape.Aggregate(1L, (count, size) => count * size);
}

/// <summary>
/// An element type: its value is libtorch's <c>ScalarType</c> code (what TorchSharp writes), with the storage class
/// PyTorch rebuilds it with and its size.
/// </summary>
public sealed record TensorElement(int Code, string PyTorchStorage, int Size)
{
    private static readonly TensorElement[] Known =
    [
        new(0, "ByteStorage", 1), new(1, "CharStorage", 1), new(2, "ShortStorage", 2), new(3, "IntStorage", 4),
        new(4, "LongStorage", 8), new(5, "HalfStorage", 2), new(6, "FloatStorage", 4), new(7, "DoubleStorage", 8),
        new(11, "BoolStorage", 1), new(15, "BFloat16Storage", 2),
    ];

    public static TensorElement Float32 { get; } = Of(6);

    /// <exception cref="InvalidDataException">Not a real or integer element type PyTorch stores.</exception>
    public static TensorElement Of(int code) => Known.FirstOrDefault(element => element.Code == code)
        ?? throw new InvalidDataException($"element type {code} (libtorch's ScalarType) cannot be exported");
}
