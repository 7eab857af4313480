using LoraPar.Core;
using Microsoft.ML.Tokenizers;
using System.Text;
using System.Text.RegularExpressions;

namespace LoraPar.Model.Tokenizers;

/// <summary>
/// A byte-level BPE <c>tokenizer.json</c> (LLaMA-3, Qwen2, GPT-2) through Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>:
/// the text is split by the file's regex (added tokens such as <c>&lt;|im_start|&gt;</c> first), then merged by rank.
/// </summary>
public sealed class ByteLevelBpeTokenizer : TextTokenizer
{
    private readonly BpeTokenizer _inner;
    private readonly HashSet<int> _specialIds;
    private readonly bool _prefixSpace;

    private ByteLevelBpeTokenizer(BpeTokenizer inner, TokenizerJson json, SpecialTokens special) : base(special)
    {
        _inner = inner;
        _prefixSpace = json.AddPrefixSpace;
        _specialIds = json.AddedTokens.Where(t => t.Special).Select(t => t.Id).ToHashSet();
        VocabSize = Math.Max(json.Vocab.Values.DefaultIfEmpty(-1).Max(), json.AddedTokens.Select(t => t.Id).DefaultIfEmpty(-1).Max()) + 1;
    }

    /// <summary>Builds the tokenizer of a parsed byte-level tokenizer.json.</summary>
    public static ByteLevelBpeTokenizer Create(TokenizerJson json, SpecialTokens special, string source)
    {
        var added = json.AddedTokens.ToDictionary(t => t.Content, t => t.Id);
        Regex? split;
        try
        {
            split = json.SplitPattern is null ? null : new Regex(json.SplitPattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw new BadInputException($"{source}: the pre-tokenizer regex does not compile in .NET ({e.Message}).", e);
        }
        var options = new BpeOptions(json.Vocab)
        {
            Merges = json.Merges.Select(m => $"{m.Left} {m.Right}"),
            SpecialTokens = added,
            PreTokenizer = split is null ? null : new RegexPreTokenizer(split, added),
            Normalizer = json.NfcNormalizer ? new NfcNormalizer() : null,
            ByteLevel = true,
        };
        return new ByteLevelBpeTokenizer(BpeTokenizer.Create(options), json, special);
    }

    public override int VocabSize { get; }

    protected override IReadOnlyList<int> EncodeText(string text) => _inner.EncodeToIds(_prefixSpace ? " " + text : text);

    public override string Decode(IEnumerable<int> ids, bool skipSpecial = true)
    {
        var text = _inner.Decode(skipSpecial ? ids.Where(i => !_specialIds.Contains(i)) : ids, considerSpecialTokens: true) ?? "";
        return _prefixSpace && text.StartsWith(' ') ? text[1..] : text;
    }

    /// <summary>Unicode NFC, the normalizer Qwen2's tokenizer.json declares.</summary>
    private sealed class NfcNormalizer : Normalizer
    {
        public override string Normalize(string original) => original.Normalize(NormalizationForm.FormC);

        public override string Normalize(ReadOnlySpan<char> original) => original.ToString().Normalize(NormalizationForm.FormC);
    }
}
