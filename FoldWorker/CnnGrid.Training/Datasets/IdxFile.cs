using System.Buffers.Binary;
using System.IO.Compression;

namespace CnnGrid.Training.Datasets;

/// <summary>One open IDX file, raw or gzip, read front to back; every read failure names the file.</summary>
internal sealed class IdxFile : IDisposable
{
    private readonly string path;
    private readonly FileStream file;
    private readonly Stream content;
    private readonly bool compressed;
    private readonly int headerBytes;

    private const int CompressedChunkBytes = 1 << 24;

    private IdxFile(string path, FileStream file, bool compressed, int headerBytes)
    {
        this.path = path;
        this.file = file;
        this.compressed = compressed;
        this.headerBytes = headerBytes;
        content = compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>Opens <paramref name="path"/> and checks its magic number; the header is <paramref name="headerBytes"/> long.</summary>
    public static IdxFile Open(string path, int expectedMagic, int headerBytes)
    {
        var file = File.OpenRead(path);
        IdxFile idx;
        try
        {
            // Detect gzip by its magic bytes: file names in the wild carry .gz or not regardless of content.
            Span<byte> start = stackalloc byte[2];
            bool compressed = file.Read(start) == 2 && start[0] == 0x1f && start[1] == 0x8b;
            file.Position = 0;
            idx = new IdxFile(path, file, compressed, headerBytes);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        try
        {
            int magic = idx.ReadInt32("magic number");
            if (magic != expectedMagic)
            {
                throw new DatasetFormatException(path, $"magic number 0x{magic:x8} is not the expected 0x{expectedMagic:x8}");
            }

            return idx;
        }
        catch
        {
            idx.Dispose();
            throw;
        }
    }

    public int ReadDimension(string what)
    {
        int value = ReadInt32(what);
        return value >= 0 ? value : throw new DatasetFormatException(path, $"negative {what} {value} in the header");
    }

    /// <summary>A raw file's length is known up front, so truncation is reported before reading anything.</summary>
    public void CheckRawLength(long bodyBytes, string what)
    {
        long expected = headerBytes + bodyBytes;
        if (!compressed && file.Length != expected)
        {
            string truncated = file.Length < expected ? " (truncated)" : "";
            throw new DatasetFormatException(path, $"{file.Length} bytes, but the header announces {what}, which take {expected} bytes{truncated}");
        }
    }

    public byte[] ReadBody(int bytes)
    {
        // A gzip file's header can announce gigabytes that never come: grow the buffer as data arrives instead.
        var body = new byte[compressed ? Math.Min(bytes, CompressedChunkBytes) : bytes];
        for (int filled = 0; ; filled = body.Length)
        {
            ReadExactly(body.AsSpan(filled), $"data ({bytes} bytes)");
            if (body.Length == bytes)
            {
                return body;
            }
            Array.Resize(ref body, (int)Math.Min(bytes, 2L * body.Length));
        }
    }

    private int ReadInt32(string what)
    {
        Span<byte> bytes = stackalloc byte[4];
        ReadExactly(bytes, $"{what} (4 bytes)");
        return BinaryPrimitives.ReadInt32BigEndian(bytes);
    }

    private void ReadExactly(Span<byte> buffer, string what)
    {
        try
        {
            content.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            string stream = compressed ? "gzip stream" : "file";
            throw new DatasetFormatException(path, $"truncated {stream}: it ends before its {what} is complete", e);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, $"corrupt gzip stream while reading its {what}: {e.Message}", e);
        }
    }

    public void Dispose() => content.Dispose();
}
