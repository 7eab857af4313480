using LoraPar.Model.Tokenizers;
using LoraPar.TestSupport;

namespace LoraPar.Model.Tests.Tokenizers;

/// <summary>
/// lorapar's SentencePiece encoding and decoding against Google's (python3-sentencepiece 0.1.97, fixtures committed): a
/// small BPE model trained for the purpose (always present) and LLaMA-2's tokenizer.model (from shared/) on a GSM8K
/// sample, all HumanEval prompts, solutions and tests, adversarial strings and arbitrary id sequences.
/// </summary>
public sealed class SentencePieceExactnessTests
{
    private static readonly SpecialTokens Special = new(1, [2], 2, AddBos: true);

    private static TextTokenizer Tiny() => SentencePieceTextTokenizer.Load(Path.Combine(SentencePieceCase.Folder, "tiny-bpe.model"), Special);

    private static TextTokenizer Llama2() =>
        TokenizerLoader.Load(Path.GetDirectoryName(SharedData.Require("models/llama2-tokenizer/tokenizer.model"))!);

    [Fact]
    public void Tiny_model_encodes_and_decodes_as_sentencepiece() => AssertExact(Tiny(), SentencePieceCase.Read("tiny-bpe.jsonl.gz"));

    [SkippableFact]
    public void Llama2_encodes_and_decodes_as_sentencepiece() => AssertExact(Llama2(), SentencePieceCase.Read("llama2.jsonl.gz"));

    [SkippableFact]
    public void Llama2_splits_a_run_of_spaces_longest_piece_first_and_keeps_the_space_after_a_leading_byte()
    {
        var tokenizer = Llama2();
        // 19 spaces then "x" are 20 U+2581 with the dummy prefix; merging leftmost first gives 16 (462), 3 (1678), "▁x" (921),
        // where Microsoft.ML.Tokenizers gave 3 then 16.
        Assert.Equal([462, 1678, 921], tokenizer.Encode(new string(' ', 19) + "x", addBos: false));
        Assert.Equal("\n hello", tokenizer.Decode([13, 22172]));
        Assert.Equal(" hello", tokenizer.Decode([29871, 22172]));
    }

    [Fact]
    public void A_truncated_or_foreign_model_is_refused_with_its_reason()
    {
        var bytes = File.ReadAllBytes(Path.Combine(SentencePieceCase.Folder, "tiny-bpe.model"));
        Assert.Contains("past the end", Assert.Throws<FormatException>(() => SentencePieceModel.Parse(bytes.AsSpan(0, bytes.Length - 3))).Message);
        // A trainer_spec that says model_type = UNIGRAM (field 3 = 1) after the real one overrides it.
        byte[] unigram = [.. bytes, 0x12, 0x02, 0x18, 0x01];
        Assert.Contains("not BPE", Assert.Throws<FormatException>(() => SentencePieceModel.Parse(unigram)).Message);
    }

    private static void AssertExact(TextTokenizer tokenizer, IReadOnlyList<SentencePieceCase> cases)
    {
        var wrong = new List<string>();
        foreach (var c in cases.Where(c => c.Source != "humaneval-continuation"))
        {
            if (c.Text is { } text && !tokenizer.Encode(text, addBos: false).SequenceEqual(c.Ids))
                wrong.Add($"encode {c}: got [{string.Join(", ", tokenizer.Encode(text, addBos: false).Take(40))}]");
            if (tokenizer.Decode(c.Ids, skipSpecial: false) != c.Decoded) wrong.Add($"decode {c}: got {tokenizer.Decode(c.Ids, skipSpecial: false)}");
            if (c.DecodedSkipSpecial is { } skipped && tokenizer.Decode(c.Ids) != skipped) wrong.Add($"decode skipping special {c}");
        }
        Assert.True(cases.Count > 1000, $"only {cases.Count} cases");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cases.Count} cases differ:\n{string.Join("\n", wrong.Take(10))}");
    }
}
