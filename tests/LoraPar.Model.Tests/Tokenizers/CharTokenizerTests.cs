using LoraPar.Model.Tokenizers;

namespace LoraPar.Model.Tests.Tokenizers;

public sealed class CharTokenizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lorapar-chartok-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Samples = ["hello world", "Q: 12+7=?\nA: 19", "tab\tand ~tilde", "unknown: é€", "a<s>b</s>", ""];

    [Fact]
    public void Each_character_is_one_token_after_bos_and_unknown_characters_map_to_unk()
    {
        var tokenizer = CharTokenizer.Create("abc ");
        Assert.Equal([" ", "a", "b", "c"], tokenizer.Alphabet);
        Assert.Equal([1, 5, 6, 4, 7, 3], tokenizer.Encode("ab c?"));   // ' ' = 4 < 'a' = 5 in ordinal order
        Assert.Equal("ab c", tokenizer.Decode(tokenizer.Encode("ab c?")));
        Assert.Equal(8, tokenizer.VocabSize);
    }

    [Fact]
    public void Saved_tokenizer_json_loads_back_with_the_same_ids()
    {
        var tokenizer = CharTokenizer.CreateAscii();
        tokenizer.Save(_dir);
        var loaded = TokenizerLoader.Load(_dir);
        Assert.IsType<CharTokenizer>(loaded);
        Assert.Equal(tokenizer.Special, loaded.Special with { EosIds = tokenizer.EosIds });
        Assert.Equal(tokenizer.EosIds, loaded.EosIds);
        foreach (var s in Samples)
        {
            Assert.Equal(tokenizer.Encode(s), loaded.Encode(s));
            Assert.Equal(tokenizer.Decode(tokenizer.Encode(s)), loaded.Decode(loaded.Encode(s)));
        }
    }

    [Fact]
    public void Hugging_face_tokenizers_reads_the_saved_file_and_agrees_on_every_id()
    {
        var tokenizer = CharTokenizer.CreateAscii();
        tokenizer.Save(_dir);
        using var reference = new global::Tokenizers.DotNet.Tokenizer(Path.Combine(_dir, "tokenizer.json"));
        foreach (var s in Samples)
        {
            var ours = tokenizer.Encode(s);
            Assert.Equal(ours, reference.Encode(s).Select(i => (int)i));
            Assert.Equal(tokenizer.Decode(ours), reference.Decode(ours.Select(i => (uint)i).ToArray()));
        }
    }
}
