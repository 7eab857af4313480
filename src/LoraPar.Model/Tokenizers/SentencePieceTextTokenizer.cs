using LoraPar.Core;
using Microsoft.ML.Tokenizers;

namespace LoraPar.Model.Tokenizers;

/// <summary>A SentencePiece BPE <c>tokenizer.model</c> (LLaMA-2), through Microsoft.ML.Tokenizers' <see cref="LlamaTokenizer"/>.</summary>
public sealed class SentencePieceTextTokenizer : TextTokenizer
{
    private readonly LlamaTokenizer _inner;
    private readonly HashSet<int> _special;

    internal SentencePieceTextTokenizer(LlamaTokenizer inner, SpecialTokens special) : base(special)
    {
        _inner = inner;
        _special = [inner.BeginningOfSentenceId, inner.EndOfSentenceId, inner.UnknownId, .. special.EosIds, special.PadId];
        if (special.BosId is { } bos) _special.Add(bos);
    }

    /// <summary>Loads <paramref name="modelPath"/> (a tokenizer.model file) with the given special ids.</summary>
    public static SentencePieceTextTokenizer Load(string modelPath, SpecialTokens special) => new(Read(modelPath), special);

    public override int VocabSize => _inner.Vocabulary.Count;

    protected override IReadOnlyList<int> EncodeText(string text) =>
        _inner.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false);

    public override string Decode(IEnumerable<int> ids, bool skipSpecial = true) =>
        _inner.Decode(skipSpecial ? ids.Where(i => !_special.Contains(i)) : ids, considerSpecialTokens: !skipSpecial) ?? "";

    internal static LlamaTokenizer Read(string modelPath)
    {
        try
        {
            using var stream = File.OpenRead(modelPath);
            return LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is not IOException and not UnauthorizedAccessException)
        {
            throw new BadInputException($"{modelPath}: not a SentencePiece BPE model ({e.Message}).", e);
        }
    }
}
