using System.Text;

namespace LoraPar.Pipeline.Manifest.Toml;

/// <summary>Decodes a manifest file's bytes as TOML requires: UTF-8 (an optional byte-order mark is skipped), nothing else.</summary>
public static class ManifestBytes
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text, or null with the 1-based line and column of the first byte that is not UTF-8.</summary>
    public static string? Decode(byte[] bytes, out int line, out int column)
    {
        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        try
        {
            (line, column) = (0, 0);
            return Strict.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            var at = start + Math.Max(0, e.Index);
            var before = bytes.AsSpan(0, Math.Min(at, bytes.Length));
            line = before.Count((byte)'\n') + 1;
            column = at - before.LastIndexOf((byte)'\n');
            return null;
        }
    }
}
