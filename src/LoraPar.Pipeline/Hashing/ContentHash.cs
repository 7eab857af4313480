using System.Text;
using Blake3;

namespace LoraPar.Pipeline.Hashing;

/// <summary>BLAKE3 digests as lower-case hex: of text, of bytes, of a file's bytes.</summary>
public static class ContentHash
{
    /// <summary>Hex digest of UTF-8 text.</summary>
    public static string OfText(string text) => OfBytes(Encoding.UTF8.GetBytes(text));

    /// <summary>Hex digest of bytes.</summary>
    public static string OfBytes(ReadOnlySpan<byte> bytes) => Hasher.Hash(bytes).ToString();

    /// <summary>Hex digest of a file's bytes, streamed.</summary>
    public static string OfFile(string path)
    {
        using var hasher = Hasher.New();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) hasher.Update(buffer.AsSpan(0, read));
        return hasher.Finalize().ToString();
    }
}
