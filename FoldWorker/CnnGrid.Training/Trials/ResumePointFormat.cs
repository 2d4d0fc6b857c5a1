using System.Runtime.InteropServices;
using CnnGrid.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnGrid.Training.Trials;

/// <summary>
/// Writes and reads the <see cref="ResumePoint.State"/> bytes: the epochs so far (doubles bit for bit), the best epoch
/// and its weights, then the model's, the optimizer's and both random generators' states, so a trial restored into a
/// freshly built model and optimizer continues exactly as the interrupted run would have.
/// </summary>
internal static class ResumePointFormat
{
    // "CGR1": CnnGrid resume point, format 1.
    private const int Magic = 0x31524743;

    public static ResumePoint Write(EpochHistory history, nn.Module model, OptimizerHelper optimizer, Generator shuffling, Generator random)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(history.Epochs.Count);
            foreach (var epoch in history.Epochs)
                WriteEpoch(writer, epoch);
            writer.Write(history.BestEpoch);
            WriteBlock(writer, history.BestCheckpoint);
            WriteBlock(writer, Saved(target => model.save(target)));
            WriteBlock(writer, Saved(target =>
            {
                using var optimizerWriter = new BinaryWriter(target, System.Text.Encoding.UTF8, leaveOpen: true);
                optimizer.save_state_dict(optimizerWriter);
            }));
            WriteGenerator(writer, shuffling);
            WriteGenerator(writer, random);
        }
        return new ResumePoint(history.LastEpoch, stream.ToArray());
    }

    /// <summary>Loads the state into <paramref name="model"/>, <paramref name="optimizer"/> and the generators; returns the epochs so far.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a resume point, or not one of this model and optimizer.</exception>
    public static EpochHistory Read(ResumePoint point, nn.Module model, OptimizerHelper optimizer, Generator shuffling, Generator random)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(point.State));
            if (reader.ReadInt32() != Magic)
                throw new InvalidDataException("the bytes do not start like a CnnGrid resume point");
            var epochs = Enumerable.Range(0, reader.ReadInt32()).Select(_ => ReadEpoch(reader)).ToList();
            var bestEpoch = reader.ReadInt32();
            var bestCheckpoint = ReadBlock(reader);
            using (var modelState = new MemoryStream(ReadBlock(reader) ?? []))
                model.load(modelState);
            using (var optimizerState = new BinaryReader(new MemoryStream(ReadBlock(reader) ?? [])))
                optimizer.load_state_dict(optimizerState);
            ReadGenerator(reader, shuffling);
            ReadGenerator(reader, random);
            if (epochs.Count != point.Epoch || epochs.Select(epoch => epoch.Epoch).Where((epoch, i) => epoch != i + 1).Any())
                throw new InvalidDataException($"it holds epochs {string.Join(",", epochs.Select(epoch => epoch.Epoch))}, not 1..{point.Epoch}");
            return new EpochHistory(epochs, bestEpoch, bestCheckpoint);
        }
        catch (Exception error) when (error is InvalidDataException or EndOfStreamException or ArgumentException or ExternalException)
        {
            throw new InvalidDataException($"The resume point after epoch {point.Epoch} does not fit this trial: {error.Message}", error);
        }
    }

    private static byte[] Saved(Action<Stream> save)
    {
        using var stream = new MemoryStream();
        save(stream);
        return stream.ToArray();
    }

    private static void WriteBlock(BinaryWriter writer, byte[]? bytes)
    {
        writer.Write(bytes?.Length ?? -1);
        if (bytes is not null)
            writer.Write(bytes);
    }

    private static byte[]? ReadBlock(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length < -1)
            throw new InvalidDataException($"a block length of {length}");
        if (length == -1)
            return null;
        var bytes = reader.ReadBytes(length);
        return bytes.Length == length ? bytes : throw new EndOfStreamException($"a block of {length} bytes ends after {bytes.Length}");
    }

    private static void WriteGenerator(BinaryWriter writer, Generator generator)
    {
        using var state = generator.get_state();
        WriteBlock(writer, state.cpu().data<byte>().ToArray());
    }

    private static void ReadGenerator(BinaryReader reader, Generator generator)
    {
        using var state = tensor(ReadBlock(reader) ?? [], dtype: uint8);
        generator.set_state(state);
    }

    private static void WriteEpoch(BinaryWriter writer, EpochMetrics epoch)
    {
        writer.Write(epoch.Epoch);
        writer.Write(epoch.TrainLoss);
        writer.Write(epoch.TrainAccuracy);
        writer.Write(epoch.ValidationLoss);
        writer.Write(epoch.ValidationAccuracy);
        writer.Write(epoch.PerClassAccuracy.Length);
        foreach (var accuracy in epoch.PerClassAccuracy)
            writer.Write(accuracy);
        writer.Write(epoch.ConfusionMatrix.Length);
        foreach (var row in epoch.ConfusionMatrix)
        {
            writer.Write(row.Length);
            foreach (var count in row)
                writer.Write(count);
        }
        writer.Write(epoch.DurationSeconds);
        writer.Write(epoch.ImagesPerSecond);
    }

    private static EpochMetrics ReadEpoch(BinaryReader reader) => new()
    {
        Epoch = reader.ReadInt32(),
        TrainLoss = reader.ReadDouble(),
        TrainAccuracy = reader.ReadDouble(),
        ValidationLoss = reader.ReadDouble(),
        ValidationAccuracy = reader.ReadDouble(),
        PerClassAccuracy = ReadArray(reader, reader.ReadDouble),
        ConfusionMatrix = ReadArray(reader, () => ReadArray(reader, reader.ReadInt32)),
        DurationSeconds = reader.ReadDouble(),
        ImagesPerSecond = reader.ReadDouble(),
    };

    private static T[] ReadArray<T>(BinaryReader reader, Func<T> read)
    {
        var length = reader.ReadInt32();
        if (length is < 0 or > 1 << 20)
            throw new InvalidDataException($"an array length of {length}");
        return [.. Enumerable.Range(0, length).Select(_ => read())];
    }
}
