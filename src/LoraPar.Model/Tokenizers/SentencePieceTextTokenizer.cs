namespace LoraPar.Model.Tokenizers;

/// <summary>
/// A SentencePiece BPE <c>tokenizer.model</c> (LLaMA-2), encoded and decoded exactly as Google's SentencePiece does
/// (<see cref="SentencePieceBpe"/>, <see cref="SentencePieceDecoding"/>): equal ids and text to its reference on GSM8K,
/// HumanEval and adversarial strings (tests/LoraPar.Model.Tests/Tokenizers/Fixtures).
/// </summary>
public sealed class SentencePieceTextTokenizer : TextTokenizer
{
    private readonly SentencePieceModel _model;
    private readonly HashSet<int> _special;

    internal SentencePieceTextTokenizer(SentencePieceModel model, SpecialTokens special) : base(special)
    {
        _model = model;
        _special = [model.UnknownId, .. special.EosIds, special.PadId];
        foreach (var id in new[] { model.BosId, model.EosId, special.BosId })
            if (id is { } value) _special.Add(value);
    }

    /// <summary>Loads <paramref name="modelPath"/> (a tokenizer.model file) with the given special ids.</summary>
    public static SentencePieceTextTokenizer Load(string modelPath, SpecialTokens special) => new(SentencePieceModel.Load(modelPath), special);

    public override int VocabSize => _model.Pieces.Count;

    protected override IReadOnlyList<int> EncodeText(string text) => SentencePieceBpe.Encode(_model, text);

    /// <summary>
    /// SentencePiece's text of <paramref name="ids"/>. With <paramref name="skipSpecial"/> the BOS, EOS, pad and unknown ids
    /// are left out first (Hugging Face's <c>skip_special_tokens</c>); control pieces read as nothing either way.
    /// </summary>
    public override string Decode(IEnumerable<int> ids, bool skipSpecial = true) =>
        SentencePieceDecoding.Decode(_model, skipSpecial ? ids.Where(i => !_special.Contains(i)) : ids);
}
