using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CnnGrid.Abstractions.Export;

/// <summary>
/// Writes a state dict as <c>torch.save</c> does (torch/serialization.py, the zip format): a zip whose entries lie
/// under one folder: <c>data.pkl</c>, a protocol-2 pickle of an <c>OrderedDict</c> of tensors each rebuilt by
/// <c>torch._utils._rebuild_tensor_v2</c> from a persistent storage id <c>('storage', torch.FloatStorage, key, 'cpu',
/// numel)</c>; <c>data/KEY</c>, each storage's raw little-endian elements; <c>version</c> and <c>byteorder</c>. Only
/// globals <c>torch.load(weights_only=True)</c> allows are named, and entries are stored uncompressed as torch reads them.
/// </summary>
public static class PyTorchCheckpoint
{
    /// <summary>The entries' folder; torch.load takes whichever name the first entry has.</summary>
    public const string Folder = "archive";

    public static byte[] Write(IReadOnlyList<StateDictTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var zipped = new MemoryStream();
        using (var zip = new ZipArchive(zipped, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "data.pkl", Pickle(tensors));
            for (var key = 0; key < tensors.Count; key++)
                Add(zip, $"data/{key}", tensors[key].Data);
            Add(zip, "version", "3\n"u8.ToArray());
            Add(zip, "byteorder", "little"u8.ToArray());
        }
        return zipped.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var entry = zip.CreateEntry($"{Folder}/{name}", CompressionLevel.NoCompression).Open();
        entry.Write(bytes);
    }

    private static byte[] Pickle(IReadOnlyList<StateDictTensor> tensors)
    {
        var pickle = new Pickler();
        pickle.Op(0x80).Op(2); // PROTO 2
        pickle.Global("collections", "OrderedDict").Op(')').Op('R'); // OrderedDict()
        pickle.Op('(');
        for (var key = 0; key < tensors.Count; key++)
        {
            var tensor = tensors[key];
            pickle.Text(tensor.Name);
            pickle.Global("torch._utils", "_rebuild_tensor_v2").Op('(');
            pickle.Op('(').Text("storage").Global("torch", tensor.Element.PyTorchStorage).Text(key.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Text("cpu").Integer(tensor.Count).Op('t').Op('Q'); // BINPERSID of the storage id tuple
            pickle.Integer(0); // storage offset
            pickle.Op('(');
            foreach (var size in tensor.Shape)
                pickle.Integer(size);
            pickle.Op('t').Op('(');
            foreach (var stride in Strides(tensor.Shape))
                pickle.Integer(stride);
            pickle.Op('t');
            pickle.Op(0x89); // requires_grad = False
            pickle.Global("collections", "OrderedDict").Op(')').Op('R'); // no backward hooks
            pickle.Op('t').Op('R');
        }
        pickle.Op('u').Op('.'); // SETITEMS, STOP
        return pickle.Bytes();
    }

    /// <summary>Row-major strides: the elements are contiguous.</summary>
    private static long[] Strides(long[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= shape[d];
        }
        return strides;
    }

    /// <summary>The few pickle opcodes a state dict needs.</summary>
    private sealed class Pickler
    {
        private readonly MemoryStream stream = new();

        public Pickler Op(int opcode)
        {
            stream.WriteByte((byte)opcode);
            return this;
        }

        public Pickler Global(string module, string name) => Op('c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

        /// <summary>BINUNICODE: a 4-byte little-endian length, then UTF-8.</summary>
        public Pickler Text(string text)
        {
            var utf8 = Encoding.UTF8.GetBytes(text);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
            return Op('X').Raw(length).Raw(utf8);
        }

        /// <summary>BININT1, BININT or LONG1, the shortest that holds the value.</summary>
        public Pickler Integer(long value)
        {
            if (value is >= 0 and <= byte.MaxValue)
                return Op('K').Op((int)value);
            Span<byte> bytes = stackalloc byte[8];
            if (value is >= int.MinValue and <= int.MaxValue)
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
                return Op('J').Raw(bytes[..4]);
            }
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            return Op(0x8a).Op(8).Raw(bytes);
        }

        public Pickler Raw(ReadOnlySpan<byte> bytes)
        {
            stream.Write(bytes);
            return this;
        }

        public byte[] Bytes() => stream.ToArray();
    }
}
