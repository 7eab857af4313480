using LoraPar.Model.Generation;
using LoraPar.Model.Tests.Tokenizers;
using LoraPar.Model.Tokenizers;
using LoraPar.TestSupport;

namespace LoraPar.Model.Tests.Generation;

public sealed class CompletionTextTests
{
    private static readonly GenerationOptions AfterPrompt = new() { DecodeAfterPrompt = true, StopStrings = ["\ndef"] };

    private static TextTokenizer Tiny() =>
        SentencePieceTextTokenizer.Load(Path.Combine(SentencePieceCase.Folder, "tiny-bpe.model"), new SpecialTokens(1, [2], 2, AddBos: true));

    [SkippableFact]
    public void Every_canonical_humaneval_solution_emitted_as_llama2_tokens_reads_back_exactly_after_its_prompt()
    {
        var tokenizer = TokenizerLoader.Load(Path.GetDirectoryName(SharedData.Require("models/llama2-tokenizer/tokenizer.model"))!);
        var cases = SentencePieceCase.Read("llama2.jsonl.gz").Where(c => c.Source == "humaneval-continuation").ToList();
        Assert.Equal(164, cases.Count);
        foreach (var c in cases)
        {
            // The reference's text after the prompt (python3-sentencepiece) is the canonical solution itself (checked when the
            // fixture was made); the model's EOS ends it and is left out.
            var prompt = c.PromptIds!.Prepend(tokenizer.BosId!.Value).ToList();
            Assert.Equal(c.Decoded, CompletionText.Finished(tokenizer, prompt, [.. c.Ids, tokenizer.EosId], AfterPrompt));
            Assert.Equal(c.DecodedAlone, CompletionText.Finished(tokenizer, prompt, c.Ids, AfterPrompt with { DecodeAfterPrompt = false }));
        }
        // Decoded alone, SentencePiece drops the first line's leading space in all but one solution.
        Assert.Equal(163, cases.Count(c => c.DecodedAlone != c.Decoded));
    }

    [Fact]
    public void The_text_after_the_prompt_keeps_the_leading_space_and_is_cut_at_a_stop_string()
    {
        var tokenizer = Tiny();
        var prompt = tokenizer.Encode("def f():\n");
        var body = tokenizer.Encode("def f():\n    return 1\ndef g", addBos: true).Skip(prompt.Count).ToList();
        Assert.Equal("    return 1", CompletionText.Finished(tokenizer, prompt, body, AfterPrompt));
        Assert.Equal("   return 1", CompletionText.Finished(tokenizer, prompt, body, AfterPrompt with { DecodeAfterPrompt = false }));
    }

    [Fact]
    public void A_character_split_between_prompt_and_completion_bytes_is_read_whole()
    {
        var tokenizer = Tiny();
        var model = SentencePieceModel.Load(Path.Combine(SentencePieceCase.Folder, "tiny-bpe.model"));
        var bytes = "€"u8.ToArray().Select(b => model.PieceToId($"<0x{b:X2}>")!.Value).ToArray();   // E2 82 AC
        // The prompt alone ends in U+FFFD (an unfinished character); with the completion's bytes it reads "x€".
        Assert.Equal("€", tokenizer.DecodeAfter([.. tokenizer.Encode("x"), bytes[0]], bytes[1..]));
        Assert.Equal("\uFFFD\uFFFD", tokenizer.Decode(bytes[1..]));
    }
}
