using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Copies an ELF shared object and marks one of its version needs (.gnu.version_r) weak (VER_FLG_WEAK),
/// so the dynamic loader accepts a host library that lacks that version instead of refusing to load.
/// </summary>
public sealed class ElfVersionNeedPatch : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required] public string Source { get; set; } = "";
    [Required] public string Destination { get; set; } = "";
    [Required] public string Version { get; set; } = "";

    public override bool Execute()
    {
        var bytes = File.ReadAllBytes(Source);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F' || bytes[4] != 2 || bytes[5] != 1)
        {
            Log.LogError($"{Source}: not a little-endian 64-bit ELF file");
            return false;
        }
        var sectionHeaders = (long)BitConverter.ToUInt64(bytes, 0x28);
        var sectionHeaderSize = BitConverter.ToUInt16(bytes, 0x3A);
        var sectionCount = BitConverter.ToUInt16(bytes, 0x3C);
        var patched = 0;
        for (var i = 0; i < sectionCount; i++)
        {
            var header = (int)(sectionHeaders + (long)i * sectionHeaderSize);
            if (BitConverter.ToUInt32(bytes, header + 4) != ShtGnuVerneed) continue;
            var offset = (int)BitConverter.ToUInt64(bytes, header + 0x18);
            var stringTableIndex = BitConverter.ToUInt32(bytes, header + 0x28);
            var needCount = BitConverter.ToUInt32(bytes, header + 0x2C);
            var stringTableHeader = (int)(sectionHeaders + stringTableIndex * sectionHeaderSize);
            var strings = (int)BitConverter.ToUInt64(bytes, stringTableHeader + 0x18);
            var need = offset;
            for (var n = 0; n < needCount; n++)
            {
                var auxCount = BitConverter.ToUInt16(bytes, need + 2);
                var aux = need + (int)BitConverter.ToUInt32(bytes, need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    if (ReadString(bytes, strings + (int)BitConverter.ToUInt32(bytes, aux + 8)) == Version)
                    {
                        var flags = (ushort)(BitConverter.ToUInt16(bytes, aux + 4) | VerFlgWeak);
                        BitConverter.GetBytes(flags).CopyTo(bytes, aux + 4);
                        patched++;
                    }
                    aux += (int)BitConverter.ToUInt32(bytes, aux + 12);
                }
                need += (int)BitConverter.ToUInt32(bytes, need + 12);
            }
        }
        if (patched == 0)
        {
            Log.LogError($"{Source}: no version need named {Version} to mark weak");
            return false;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Destination)!);
        File.WriteAllBytes(Destination, bytes);
        Log.LogMessage(MessageImportance.Normal, $"Marked {Version} weak in {Destination}");
        return true;
    }

    static string ReadString(byte[] bytes, int start)
    {
        var end = Array.IndexOf(bytes, (byte)0, start);
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }
}
