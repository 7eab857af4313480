using System.Text;

namespace LoraPar.Model.Tokenizers;

/// <summary>
/// SentencePiece's decoding, as Google's implementation does it: control pieces are invisible, the unknown piece reads as
/// the model's unknown surface, U+2581 becomes a space, runs of byte pieces are read as UTF-8 (each byte that starts no
/// well-formed character becomes U+FFFD), and with a dummy prefix the leading U+2581 of the first piece is dropped, but only
/// while nothing has been written yet (so <c>"\n"</c> as a byte piece followed by <c>"▁hello"</c> reads <c>"\n hello"</c>) and
/// only once (<c>"▁"</c>, <c>"▁hello"</c> reads <c>" hello"</c>).
/// </summary>
internal static class SentencePieceDecoding
{
    /// <summary>The text of <paramref name="ids"/>; ids outside the model's pieces are left out.</summary>
    public static string Decode(SentencePieceModel model, IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        bool atStart = true, strippedPrefix = false;
        foreach (var id in ids)
        {
            if (id < 0 || id >= model.Pieces.Count) continue;
            if (model.Types[id] == PieceType.Byte)
            {
                bytes.Add(SentencePieceModel.ByteOf(model.Pieces[id]));
                continue;
            }
            AppendBytes(text, bytes);
            if (strippedPrefix || text.Length > 0) atStart = false;
            strippedPrefix = AppendPiece(model, id, atStart, text);
        }
        AppendBytes(text, bytes);
        return text.ToString();
    }

    /// <summary>Appends the text of piece <paramref name="id"/>; true when it dropped the dummy prefix's U+2581.</summary>
    private static bool AppendPiece(SentencePieceModel model, int id, bool atStart, StringBuilder text)
    {
        switch (model.Types[id])
        {
            case PieceType.Control: return false;
            case PieceType.Unknown: text.Append(model.UnknownSurface); return false;
        }
        var piece = model.Pieces[id].AsSpan();
        var stripped = atStart && model.AddDummyPrefix && piece[0] == SentencePieceModel.SpaceSymbol;
        foreach (var c in stripped ? piece[1..] : piece) text.Append(c == SentencePieceModel.SpaceSymbol ? ' ' : c);
        return stripped;
    }

    /// <summary>Appends <paramref name="bytes"/> read as UTF-8 the way SentencePiece reads them, and empties the list.</summary>
    private static void AppendBytes(StringBuilder text, List<byte> bytes)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes);
        for (var at = 0; at < span.Length;)
        {
            var (rune, length) = Utf8Character(span[at..]);
            text.Append(rune.ToString());
            at += length;
        }
        bytes.Clear();
    }

    /// <summary>The character at the start of <paramref name="b"/> and its length, or U+FFFD and 1 when none starts there.</summary>
    internal static (Rune Rune, int Length) Utf8Character(ReadOnlySpan<byte> b)
    {
        static bool Trail(byte x) => (x & 0xC0) == 0x80;
        if (b[0] < 0x80) return (new Rune(b[0]), 1);
        int value, length;
        if ((b[0] & 0xE0) == 0xC0 && b.Length >= 2 && Trail(b[1])) (value, length) = (((b[0] & 0x1F) << 6) | (b[1] & 0x3F), 2);
        else if ((b[0] & 0xF0) == 0xE0 && b.Length >= 3 && Trail(b[1]) && Trail(b[2]))
            (value, length) = (((b[0] & 0x0F) << 12) | ((b[1] & 0x3F) << 6) | (b[2] & 0x3F), 3);
        else if ((b[0] & 0xF8) == 0xF0 && b.Length >= 4 && Trail(b[1]) && Trail(b[2]) && Trail(b[3]))
            (value, length) = (((b[0] & 0x07) << 18) | ((b[1] & 0x3F) << 12) | ((b[2] & 0x3F) << 6) | (b[3] & 0x3F), 4);
        else return (Rune.ReplacementChar, 1);
        var shortest = length switch { 2 => value >= 0x80, 3 => value >= 0x800, _ => value >= 0x10000 };
        return shortest && Rune.IsValid(value) ? (new Rune(value), length) : (Rune.ReplacementChar, 1);
    }
}
