using LoraPar.Core;
using LoraPar.Model.Tokenizers;
using LoraPar.Synthetic;

namespace LoraPar.Training.Pretraining;

/// <summary>
/// The pretraining corpus as one stream of token ids — every document as BOS, its characters, EOS — from which training
/// windows are cut at seeded random offsets (nanoGPT's sampler), so step s always sees the same windows.
/// </summary>
public sealed class TokenStream
{
    private readonly int[] ids;

    private TokenStream(int[] ids) => this.ids = ids;

    /// <summary>Number of tokens.</summary>
    public int Length => ids.Length;

    /// <summary>The ids.</summary>
    public IReadOnlyList<int> Ids => ids;

    /// <summary>Encodes <paramref name="documents"/> in order; an empty corpus is bad input.</summary>
    public static TokenStream Encode(IEnumerable<string> documents, TextTokenizer tokenizer)
    {
        var ids = new List<int>();
        foreach (var document in documents)
        {
            ids.AddRange(tokenizer.Encode(document, addBos: true));
            ids.Add(tokenizer.EosId);
        }
        if (ids.Count == 0) throw new BadInputException("pretrain: the corpus has no documents; check the synthetic task sizes and the corpus fractions.");
        return new TokenStream(ids.ToArray());
    }

    /// <summary>
    /// <paramref name="count"/> windows of <paramref name="length"/> ids for step <paramref name="step"/>, row-major
    /// (count × length). Offsets are uniform over the stream; a stream shorter than a window is bad input.
    /// </summary>
    public long[] Windows(int count, int length, long seed, int step)
    {
        if (ids.Length < length)
            throw new BadInputException($"pretrain: the corpus has {ids.Length} tokens, fewer than one window of {length}; lower sequence_length or enlarge the corpus.");
        var random = DeterministicRandom.ForStream(seed, step);
        var windows = new long[count * length];
        for (var row = 0; row < count; row++)
        {
            var start = random.Next(0, ids.Length - length);
            for (var t = 0; t < length; t++) windows[row * length + t] = ids[start + t];
        }
        return windows;
    }
}
