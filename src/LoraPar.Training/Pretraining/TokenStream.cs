using LoraPar.Core;
using LoraPar.Model.Tokenizers;

namespace LoraPar.Training.Pretraining;

/// <summary>Where a training window may start in the token stream.</summary>
public enum WindowAlignment
{
    /// <summary>At any token (nanoGPT's sampler): most windows open mid-document, e.g. on a solution without its question.</summary>
    AnyToken,

    /// <summary>At a document's BOS, the rest of the window packed with the documents that follow: every answer is in view of its question.</summary>
    DocumentStart,
}

/// <summary>
/// The pretraining corpus as one stream of token ids — every document as BOS, its characters, EOS — from which training
/// windows are cut at seeded random starts (<see cref="WindowAlignment"/>), so step s always sees the same windows.
/// </summary>
public sealed class TokenStream
{
    private readonly int[] ids;
    private readonly int[] documentStarts;

    private TokenStream(int[] ids, int[] documentStarts) => (this.ids, this.documentStarts) = (ids, documentStarts);

    /// <summary>Number of tokens.</summary>
    public int Length => ids.Length;

    /// <summary>The ids.</summary>
    public IReadOnlyList<int> Ids => ids;

    /// <summary>Encodes <paramref name="documents"/> in order; an empty corpus is bad input.</summary>
    public static TokenStream Encode(IEnumerable<string> documents, TextTokenizer tokenizer)
    {
        var ids = new List<int>();
        var starts = new List<int>();
        foreach (var document in documents)
        {
            starts.Add(ids.Count);
            ids.AddRange(tokenizer.Encode(document, addBos: true));
            ids.Add(tokenizer.EosId);
        }
        if (ids.Count == 0) throw new BadInputException("pretrain: the corpus has no documents; check the synthetic task sizes and the corpus fractions.");
        return new TokenStream(ids.ToArray(), starts.ToArray());
    }

    /// <summary>
    /// <paramref name="count"/> windows of <paramref name="length"/> ids for step <paramref name="step"/>, row-major
    /// (count × length). Starts are uniform over the tokens or over the documents that leave a full window
    /// (<paramref name="alignment"/>); a stream shorter than a window is bad input.
    /// </summary>
    public long[] Windows(int count, int length, long seed, int step, WindowAlignment alignment = WindowAlignment.DocumentStart)
    {
        if (ids.Length < length)
            throw new BadInputException($"pretrain: the corpus has {ids.Length} tokens, fewer than one window of {length}; lower sequence_length or enlarge the corpus.");
        var random = DeterministicRandom.ForStream(seed, step);
        var lastStart = ids.Length - length;
        var startable = alignment == WindowAlignment.DocumentStart ? LastDocumentStartingBy(lastStart) : -1;
        var windows = new long[count * length];
        for (var row = 0; row < count; row++)
        {
            var start = alignment == WindowAlignment.DocumentStart ? documentStarts[random.Next(0, startable)] : random.Next(0, lastStart);
            for (var t = 0; t < length; t++) windows[row * length + t] = ids[start + t];
        }
        return windows;
    }

    /// <summary>The index of the last document that starts at or before <paramref name="position"/> (starts are ascending; the first is 0).</summary>
    private int LastDocumentStartingBy(int position)
    {
        var found = Array.BinarySearch(documentStarts, position);
        return found >= 0 ? found : ~found - 1;
    }
}
