using LoraPar.Model.Tokenizers;

namespace LoraPar.Model.Tests.Generation;

/// <summary>A tokenizer for generation tests: id i ↔ the character 'A' + i (ids 0–2 are pad, BOS, EOS); EOS ids are chosen by the test.</summary>
internal sealed class TestTokenizer(int vocab, params int[] eos) : TextTokenizer(new SpecialTokens(1, eos.Length > 0 ? eos : [2], 0, AddBos: true))
{
    public override int VocabSize => vocab;

    protected override IReadOnlyList<int> EncodeText(string text) => text.Select(c => 3 + (c - 'A' + vocab * 8 - 3) % (vocab - 3)).ToList();

    public override string Decode(IEnumerable<int> ids, bool skipSpecial = true) =>
        new(ids.Where(i => !skipSpecial || i > 2).Select(i => (char)('A' + i)).ToArray());
}
