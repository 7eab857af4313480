using LoraPar.Model.Tokenizers;
using LoraPar.TestSupport;

namespace LoraPar.Model.Tests.Tokenizers;

public sealed class SentencePieceTextTokenizerTests
{
    private static TextTokenizer Llama2() =>
        TokenizerLoader.Load(Path.GetDirectoryName(SharedData.Require("models/llama2-tokenizer/tokenizer.model"))!);

    [SkippableFact]
    public void Llama2_encodes_hello_world_with_bos()
    {
        var tokenizer = Llama2();
        Assert.Equal([1, 15043, 3186], tokenizer.Encode("Hello world"));
        Assert.Equal([15043, 3186], tokenizer.Encode("Hello world", addBos: false));
        Assert.Equal((1, 2, 2, 32000), (tokenizer.BosId, tokenizer.EosId, tokenizer.PadId, tokenizer.VocabSize));
        Assert.IsType<SentencePieceTextTokenizer>(tokenizer);
    }

    [SkippableFact]
    public void Llama2_round_trips_a_paragraph_and_drops_special_tokens_when_decoding()
    {
        var tokenizer = Llama2();
        const string paragraph = "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.\n" +
            "How many clips did Natalia sell altogether in April and May? Let's think: 48 / 2 = 24; 48 + 24 = 72. Ünïcödé — ok!";
        var ids = tokenizer.Encode(paragraph);
        Assert.Equal(1, ids[0]);
        Assert.Equal(paragraph, tokenizer.Decode(ids));
        Assert.Equal(paragraph, tokenizer.Decode([.. ids, tokenizer.EosId]));
    }
}
