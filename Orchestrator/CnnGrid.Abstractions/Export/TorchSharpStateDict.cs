namespace CnnGrid.Abstractions.Export;

/// <summary>
/// Reads TorchSharp's <c>Module.save</c> format: the entry count, then per entry its name (a .NET
/// <c>BinaryWriter</c> string) and its tensor (<c>TensorExtensionMethods.Save</c>: element type, rank and each
/// dimension as LEB128 integers, then the elements). The names are mapped to the PyTorch twins' here, once.
/// </summary>
public static class TorchSharpStateDict
{
    /// <exception cref="InvalidDataException">The bytes are not such a state dict.</exception>
    public static IReadOnlyList<StateDictTensor> Read(byte[] bytes)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            var count = Leb128(reader);
            var tensors = new List<StateDictTensor>();
            for (long i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var element = TensorElement.Of(checked((int)Leb128(reader)));
                var shape = new long[Leb128(reader)];
                for (var d = 0; d < shape.Length; d++)
                    shape[d] = Leb128(reader);
                var tensor = new StateDictTensor(name, element, shape, []);
                var length = checked((int)(tensor.Count * element.Size));
                var data = reader.ReadBytes(length);
                if (data.Length != length)
                    throw new EndOfStreamException($"'{name}' ends after {data.Length} of its {length} bytes");
                tensors.Add(tensor with { Data = data });
            }
            if (reader.BaseStream.Position != bytes.Length)
                throw new InvalidDataException($"{bytes.Length - reader.BaseStream.Position} bytes follow the last entry");
            return tensors;
        }
        catch (Exception error) when (error is EndOfStreamException or OverflowException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"The checkpoint is not a TorchSharp state dict: {error.Message}", error);
        }
    }

    /// <summary>
    /// The PyTorch twin's name of a catalog model's entry. Every top-level layer is named by its kind and its index
    /// in the twin's <c>nn.Sequential</c> (<c>layers.conv0.weight</c> → <c>0.weight</c>); the residual block names
    /// its shortcut and norms as seed 002 does (<c>conv3</c>, <c>bn1</c>, <c>bn2</c>).
    /// </summary>
    public static string PyTorchName(string name)
    {
        var parts = name.Split('.');
        if (parts.Length < 3 || parts[0] != "layers")
            return name;
        var layer = parts[1].TrimStart("abcdefghijklmnopqrstuvwxyz".ToCharArray());
        var inner = parts[2..^1].Select(part => part switch { "shortcut" => "conv3", "norm1" => "bn1", "norm2" => "bn2", _ => part });
        return string.Join('.', [layer, .. inner, parts[^1]]);
    }

    private static long Leb128(BinaryReader reader)
    {
        long value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = reader.ReadByte();
            value |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
                return value >= 0 ? value : throw new InvalidDataException($"a negative length or size ({value})");
        }
        throw new InvalidDataException("a LEB128 integer longer than 64 bits");
    }
}
