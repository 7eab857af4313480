using System.Buffers.Binary;
using System.Text;

namespace LoraPar.Model.Runtime;

/// <summary>One version a shared object needs from a dependency (an ELF <c>Vernaux</c> entry).</summary>
/// <param name="Library">The dependency that must provide the version, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="FlagsOffset">File offset of the entry's <c>vna_flags</c> field.</param>
/// <param name="IsWeak">Whether <c>VER_FLG_WEAK</c> is already set: a missing weak version is not fatal to the loader.</param>
public sealed record ElfVersionNeed(string Library, string Version, long FlagsOffset, bool IsWeak);

/// <summary>
/// Reads and edits the version-need table (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF file.
/// Marking an entry weak lets the dynamic loader accept a dependency that lacks that version, which is how
/// lorapar loads TorchSharp's native library against an older libstdc++ (see DESIGN.md, platform facts).
/// </summary>
public static class ElfVersionNeeds
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>Lists every version-need entry of the ELF image.</summary>
    public static IReadOnlyList<ElfVersionNeed> Read(ReadOnlySpan<byte> elf)
    {
        ValidateHeader(elf);
        var (verneed, strtab) = FindSections(elf);
        var needs = new List<ElfVersionNeed>();
        if (verneed is null) return needs;
        var (offset, count) = verneed.Value;
        for (var i = 0; i < count; i++)
        {
            var library = CString(elf, strtab + U32(elf, offset + 4));
            int auxCount = U16(elf, offset + 2);
            var aux = offset + U32(elf, offset + 8);
            for (var j = 0; j < auxCount; j++)
            {
                var flags = U16(elf, aux + 4);
                var name = CString(elf, strtab + U32(elf, aux + 8));
                needs.Add(new ElfVersionNeed(library, name, aux + 4, (flags & VerFlagWeak) != 0));
                aux += U32(elf, aux + 12);
            }
            offset += U32(elf, offset + 12);
        }
        return needs;
    }

    /// <summary>Sets VER_FLG_WEAK on every entry whose version name is in <paramref name="versions"/>; returns how many changed.</summary>
    public static int MarkWeak(Span<byte> elf, IReadOnlySet<string> versions)
    {
        var changed = 0;
        foreach (var need in Read(elf))
        {
            if (need.IsWeak || !versions.Contains(need.Version)) continue;
            var at = checked((int)need.FlagsOffset);
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(elf[at..]);
            BinaryPrimitives.WriteUInt16LittleEndian(elf[at..], (ushort)(flags | VerFlagWeak));
            changed++;
        }
        return changed;
    }

    private static void ValidateHeader(ReadOnlySpan<byte> elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
    }

    /// <summary>Returns (offset, entry count) of the verneed section and the file offset of its string table.</summary>
    private static ((long Offset, int Count)? Verneed, long StrTab) FindSections(ReadOnlySpan<byte> elf)
    {
        var shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        for (var i = 0; i < shnum; i++)
        {
            var sh = shoff + (long)i * shentsize;
            if (U32(elf, sh + 4) != ShtGnuVerneed) continue;
            var link = U32(elf, sh + 0x28);
            var strtab = (long)U64(elf, shoff + link * shentsize + 0x18);
            return (((long)U64(elf, sh + 0x18), (int)U32(elf, sh + 0x2C)), strtab);
        }
        return (null, 0);
    }

    private static ushort U16(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt16LittleEndian(b[checked((int)at)..]);
    private static uint U32(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(b[checked((int)at)..]);
    private static ulong U64(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt64LittleEndian(b[checked((int)at)..]);

    private static string CString(ReadOnlySpan<byte> b, long at)
    {
        var start = checked((int)at);
        var end = b[start..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(b.Slice(start, end));
    }
}
