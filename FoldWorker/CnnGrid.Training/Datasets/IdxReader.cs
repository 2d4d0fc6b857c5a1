using CnnGrid.Abstractions;
namespace CnnGrid.Training.Datasets;

/// <summary>Reads MNIST-style IDX files (<c>idx3-ubyte</c> images, <c>idx1-ubyte</c> labels), raw or gzip-compressed.</summary>
public static class IdxReader
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;
    private const int ImagesHeaderBytes = 16;
    private const int LabelsHeaderBytes = 8;

    /// <summary>
    /// Reads the first <paramref name="limit"/> images (all when null) and their labels. Only the bytes needed are
    /// read, so a small limit on a gzip file decompresses only its beginning.
    /// </summary>
    /// <exception cref="DatasetFormatException">A file's header or length is wrong, or a label is not a class index.</exception>
    public static LabeledImages Read(string imagesPath, string labelsPath, IReadOnlyList<string> classNames, int? limit = null)
    {
        if (limit is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be positive");
        }

        using var images = IdxFile.Open(imagesPath, ImagesMagic, ImagesHeaderBytes);
        using var labels = IdxFile.Open(labelsPath, LabelsMagic, LabelsHeaderBytes);

        int imageCount = images.ReadDimension("image count");
        int rows = images.ReadDimension("row count");
        int columns = images.ReadDimension("column count");
        int labelCount = labels.ReadDimension("label count");
        if (imageCount != labelCount)
        {
            throw new DatasetFormatException(imagesPath, $"holds {imageCount} images but {labelsPath} holds {labelCount} labels");
        }

        long imageBytes = (long)rows * columns;
        if (imageBytes == 0 || imageBytes > int.MaxValue)
        {
            throw new DatasetFormatException(imagesPath, $"implausible image size {rows}x{columns}");
        }

        images.CheckRawLength(imageCount * imageBytes, $"{imageCount} images of {rows}x{columns}");
        labels.CheckRawLength(labelCount, $"{labelCount} labels");

        int count = Math.Min(imageCount, limit ?? imageCount);
        long pixelBytes = count * imageBytes;
        if (pixelBytes > Array.MaxLength)
        {
            throw new DatasetFormatException(imagesPath, $"{count} images of {rows}x{columns} do not fit in one array; set a limit");
        }

        var pixels = images.ReadBody((int)pixelBytes);
        var labelBytes = labels.ReadBody(count);
        ClassLabels.Check(labelsPath, labelBytes, classNames.Count);
        return new LabeledImages(new ImageShape(1, rows, columns), pixels, labelBytes, classNames);
    }
}
