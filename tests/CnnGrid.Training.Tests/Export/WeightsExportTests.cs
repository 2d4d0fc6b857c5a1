using System.IO.Compression;
using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Export;
using CnnGrid.Training.Models;
using static TorchSharp.torch;

namespace CnnGrid.Training.Tests.Export;

/// <summary>A catalog model's TorchSharp checkpoint converted to PyTorch's zip format and read back independently.</summary>
public sealed class WeightsExportTests
{
    [Theory]
    [InlineData("seed000-cnn", NormalizationKind.BatchNorm)]
    [InlineData("resnet-small", NormalizationKind.BatchNorm)]
    [InlineData("mlp", NormalizationKind.LayerNorm)]
    public void A_checkpoint_converted_to_pytorch_holds_every_entry_under_its_twins_name_with_its_shape_and_values(
        string name, NormalizationKind normalization)
    {
        using var model = ModelCatalog.Create(name, new ModelOptions(new ImageShape(3, 32, 32), 10) { Normalization = normalization });
        using var saved = new MemoryStream();
        model.save(saved);

        var zip = new ZipArchive(new MemoryStream(WeightsFormats.Convert(saved.ToArray(), WeightsFormat.PyTorch)));
        var entries = zip.Entries.ToDictionary(entry => entry.FullName);
        Assert.All(entries.Values, entry => Assert.Equal(entry.Length, entry.CompressedLength)); // stored, as torch reads
        Assert.Equal("3\n"u8.ToArray(), Read(entries["archive/version"]));
        Assert.Equal("little"u8.ToArray(), Read(entries["archive/byteorder"]));
        var pickled = PickleReader.ReadStateDict(Read(entries["archive/data.pkl"]));

        var expected = model.state_dict();
        Assert.Equal(expected.Keys.Select(TorchSharpStateDict.PyTorchName).Order(), pickled.Keys.Order());
        foreach (var (key, tensor) in expected)
        {
            var rebuilt = pickled[TorchSharpStateDict.PyTorchName(key)];
            var storage = (string)rebuilt.StorageId[2];
            Assert.Equal(["storage", new PickleReader.Global("torch", StorageName(tensor.dtype)), storage, "cpu", tensor.numel()], rebuilt.StorageId);
            Assert.Equal(tensor.shape, rebuilt.Size);
            Assert.Equal(tensor.stride(), rebuilt.Stride);
            Assert.Equal((0L, false), (rebuilt.Offset, rebuilt.RequiresGrad));
            Assert.Equal(tensor.bytes.ToArray(), Read(entries[$"archive/data/{storage}"]));
        }
    }

    /// <summary>The twins' own key names (pytorch_twins.py's <c>state_dict().keys()</c>, printed by Debian's python3-torch).</summary>
    [Theory]
    [InlineData("lenet5", NormalizationKind.None, "0.weight 0.bias 4.weight 4.bias 9.weight 9.bias 12.weight 12.bias 16.weight 16.bias")]
    [InlineData("resnet-small", NormalizationKind.BatchNorm, "0.weight 0.bias 1.weight 1.bias 1.running_mean 1.running_var 1.num_batches_tracked " +
        "4.conv1.weight 4.conv1.bias 4.conv2.weight 4.conv2.bias 4.conv3.weight 4.conv3.bias 4.bn1.weight 4.bn1.bias 4.bn1.running_mean " +
        "4.bn1.running_var 4.bn1.num_batches_tracked 4.bn2.weight 4.bn2.bias 4.bn2.running_mean 4.bn2.running_var 4.bn2.num_batches_tracked " +
        "5.conv1.weight 5.conv1.bias 5.conv2.weight 5.conv2.bias 5.bn1.weight 5.bn1.bias 5.bn1.running_mean 5.bn1.running_var " +
        "5.bn1.num_batches_tracked 5.bn2.weight 5.bn2.bias 5.bn2.running_mean 5.bn2.running_var 5.bn2.num_batches_tracked 9.weight 9.bias")]
    public void The_exported_names_are_the_pytorch_twins(string name, NormalizationKind normalization, string twinKeys)
    {
        using var model = ModelCatalog.Create(name, new ModelOptions(new ImageShape(3, 32, 32), 10) { Normalization = normalization });

        Assert.Equal(twinKeys.Split(' ').Order(), model.state_dict().Keys.Select(TorchSharpStateDict.PyTorchName).Order());
    }

    [Fact]
    public void The_torchsharp_format_is_the_stored_checkpoint_and_loads_into_the_catalog_model()
    {
        using var model = ModelCatalog.Create("seed004-cnn", new ModelOptions(new ImageShape(1, 28, 28), 10));
        using var saved = new MemoryStream();
        model.save(saved);

        var exported = WeightsFormats.Convert(saved.ToArray(), WeightsFormat.TorchSharp);
        using var again = ModelCatalog.Create("seed004-cnn", new ModelOptions(new ImageShape(1, 28, 28), 10));
        again.load(new MemoryStream(exported));
        Assert.True(again.parameters().Zip(model.parameters()).All(pair => pair.First.eq(pair.Second).all().item<bool>()));
    }

    [Fact]
    public void Bytes_that_are_no_state_dict_are_refused_with_a_clear_error()
    {
        var error = Assert.Throws<InvalidDataException>(() => WeightsFormats.Convert([1, 5, 0x61, 9, 9], WeightsFormat.PyTorch));
        Assert.Contains("not a TorchSharp state dict", error.Message);
    }

    static string StorageName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "FloatStorage",
        ScalarType.Int64 => "LongStorage",
        _ => throw new ArgumentException($"no test for {type}"),
    };

    static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
