namespace CnnGrid.Stack;

/// <summary>Secrets the stack writes (passwords, the API token, private keys, join files): mode 0600 from their creation on.</summary>
internal static class OwnerOnlyFile
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, replacing a file there.</summary>
    public static void Write(string path, string content)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("The local stack runs Debian's PostgreSQL: Linux only.");
        // Deleting first: FileMode.Create would keep an existing file's wider mode.
        File.Delete(path);
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }
}
