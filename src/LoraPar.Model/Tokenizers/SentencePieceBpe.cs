using System.Text;

namespace LoraPar.Model.Tokenizers;

/// <summary>
/// SentencePiece's BPE encoding, step for step as Google's implementation does it: the text is normalized (spaces become
/// U+2581, one put in front when the model adds a dummy prefix), split into characters (user-defined pieces kept whole),
/// then the adjacent pair whose merged piece has the highest score is merged, the leftmost among equal scores, until no
/// pair is a piece; a character outside the vocabulary becomes its UTF-8 byte pieces (byte fallback) or the unknown id.
/// The leftmost tie-break decides how runs of one repeated character split (16 spaces then 3, not 3 then 16).
/// </summary>
internal static class SentencePieceBpe
{
    /// <summary>The ids of <paramref name="text"/> (no BOS or EOS).</summary>
    public static List<int> Encode(SentencePieceModel model, string text)
    {
        if (text.Length == 0) return [];
        var normalized = Normalize(model, text);
        var symbols = Split(model, normalized);
        Merge(model, normalized, symbols);
        return Ids(model, normalized, symbols);
    }

    /// <summary>The text the merges run on: spaces escaped, the dummy prefix added, ill-formed UTF-16 replaced by U+FFFD.</summary>
    internal static string Normalize(SentencePieceModel model, string text)
    {
        var normalized = new StringBuilder(text.Length + 1);
        if (model.AddDummyPrefix) normalized.Append(SentencePieceModel.SpaceSymbol);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == ' ') normalized.Append(SentencePieceModel.SpaceSymbol);
            else normalized.Append(rune.ToString());
        }
        return normalized.ToString();
    }

    private struct Symbol
    {
        public int Start, Length, Prev, Next;
        public bool Freeze;
    }

    private readonly record struct Pair(int Left, int Right, float Score, int Length);

    /// <summary>Highest score first, then the leftmost pair.</summary>
    private sealed class Priority : IComparer<Pair>
    {
        public static readonly Priority Instance = new();

        public int Compare(Pair a, Pair b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Left.CompareTo(b.Left);
    }

    private static Symbol[] Split(SentencePieceModel model, string normalized)
    {
        var symbols = new List<Symbol>();
        for (var at = 0; at < normalized.Length;)
        {
            var user = model.UserDefined.FirstOrDefault(p => normalized.AsSpan(at).StartsWith(p, StringComparison.Ordinal));
            var length = user?.Length ?? (char.IsHighSurrogate(normalized[at]) ? 2 : 1);
            symbols.Add(new Symbol { Start = at, Length = length, Prev = symbols.Count - 1, Freeze = user is not null });
            at += length;
        }
        var array = symbols.ToArray();
        for (var i = 0; i < array.Length; i++) array[i].Next = i + 1 < array.Length ? i + 1 : -1;
        return array;
    }

    private static void Merge(SentencePieceModel model, string normalized, Symbol[] symbols)
    {
        var agenda = new PriorityQueue<Pair, Pair>(Priority.Instance);
        void Consider(int left, int right)
        {
            if (left < 0 || right < 0 || symbols[left].Freeze || symbols[right].Freeze) return;
            var merged = normalized.AsSpan(symbols[left].Start, symbols[left].Length + symbols[right].Length);
            if (!model.Lookup.TryGetValue(merged, out var id)) return;
            var pair = new Pair(left, right, model.Scores[id], merged.Length);
            agenda.Enqueue(pair, pair);
        }
        for (var i = 1; i < symbols.Length; i++) Consider(i - 1, i);
        while (agenda.TryDequeue(out var top, out _))
        {
            ref var left = ref symbols[top.Left];
            ref var right = ref symbols[top.Right];
            if (left.Length == 0 || right.Length == 0 || left.Length + right.Length != top.Length) continue;
            left.Length += right.Length;
            left.Next = right.Next;
            if (right.Next >= 0) symbols[right.Next].Prev = top.Left;
            right.Length = 0;
            Consider(left.Prev, top.Left);
            Consider(top.Left, left.Next);
        }
    }

    private static List<int> Ids(SentencePieceModel model, string normalized, Symbol[] symbols)
    {
        var ids = new List<int>(symbols.Length);
        var previousUnknown = false;
        for (var i = 0; i >= 0; i = symbols[i].Next)
        {
            var piece = normalized.AsSpan(symbols[i].Start, symbols[i].Length);
            var known = model.Lookup.TryGetValue(piece, out var id);
            if (known) ids.Add(id);
            else if (model.ByteFallback) ids.AddRange(Encoding.UTF8.GetBytes(piece.ToArray()).Select(model.ByteId));
            else if (!previousUnknown) ids.Add(model.UnknownId);
            previousUnknown = !known;
        }
        return ids;
    }
}
