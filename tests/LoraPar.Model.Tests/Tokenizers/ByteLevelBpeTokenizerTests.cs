using LoraPar.Model.Tokenizers;
using System.Text.Json;

namespace LoraPar.Model.Tests.Tokenizers;

/// <summary>
/// A small byte-level BPE tokenizer.json in the LLaMA-3 / Qwen2 layout (Split regex + ByteLevel, added special tokens),
/// checked against Hugging Face tokenizers itself.
/// </summary>
public sealed class ByteLevelBpeTokenizerTests : IDisposable
{
    private const string QwenPattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    private static readonly string[][] MergeList =
        [["h", "e"], ["l", "l"], ["he", "ll"], ["hell", "o"], ["Ġ", "w"], ["o", "r"], ["Ġw", "or"], ["l", "d"], ["Ġwor", "ld"], ["Ġ", "t"], ["Ġt", "he"]];

    private readonly string _dir = Directory.CreateTempSubdirectory("lorapar-bpe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Samples =
        ["hello world", "Hello the world!\n\n  spaced   out", "héllo 世界 🙂", "<|im_start|>user\nhello<|im_end|>\n", "it's 1234 o'clock", ""];

    /// <summary>GPT-2's reversible map from bytes to printable characters.</summary>
    private static string[] ByteCharacters()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToHashSet();
        var next = 256;
        return Enumerable.Range(0, 256).Select(b => ((char)(printable.Contains(b) ? b : next++)).ToString()).ToArray();
    }

    private void WriteFixture(bool withBosTemplate)
    {
        var vocab = ByteCharacters().Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        foreach (var m in MergeList) vocab.TryAdd(m[0] + m[1], vocab.Count);
        var added = new[] { "<|endoftext|>", "<|im_start|>", "<|im_end|>" }
            .Select((t, i) => new { id = vocab.Count + i, content = t, single_word = false, lstrip = false, rstrip = false, normalized = false, special = true });
        var document = new
        {
            version = "1.0",
            added_tokens = added,
            normalizer = new { type = "NFC" },
            pre_tokenizer = new
            {
                type = "Sequence",
                pretokenizers = new object[]
                {
                    new { type = "Split", pattern = new { Regex = QwenPattern }, behavior = "Isolated", invert = false },
                    new { type = "ByteLevel", add_prefix_space = false, trim_offsets = false, use_regex = false },
                },
            },
            post_processor = withBosTemplate
                ? (object)new { type = "TemplateProcessing", single = new object[] { new { SpecialToken = new { id = "<|endoftext|>", type_id = 0 } }, new { Sequence = new { id = "A", type_id = 0 } } },
                    pair = Array.Empty<object>(), special_tokens = new Dictionary<string, object> { ["<|endoftext|>"] = new { id = "<|endoftext|>", ids = new[] { vocab.Count }, tokens = new[] { "<|endoftext|>" } } } }
                : new { type = "ByteLevel", add_prefix_space = false, trim_offsets = false, use_regex = false },
            decoder = new { type = "ByteLevel", add_prefix_space = false, trim_offsets = false, use_regex = false },
            model = new { type = "BPE", dropout = (object?)null, unk_token = (object?)null, continuing_subword_prefix = "", end_of_word_suffix = "", fuse_unk = false, byte_fallback = false, vocab, merges = MergeList },
        };
        File.WriteAllText(Path.Combine(_dir, "tokenizer.json"), JsonSerializer.Serialize(document));
    }

    [Fact]
    public void Encodes_and_decodes_exactly_as_hugging_face_tokenizers()
    {
        WriteFixture(withBosTemplate: false);
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"), """{"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>", "bos_token": null}""");
        var tokenizer = TokenizerLoader.Load(_dir);
        using var reference = new global::Tokenizers.DotNet.Tokenizer(Path.Combine(_dir, "tokenizer.json"));
        Assert.IsType<ByteLevelBpeTokenizer>(tokenizer);
        Assert.False(tokenizer.AddsBos);
        foreach (var s in Samples)
        {
            var ours = tokenizer.Encode(s);
            Assert.Equal(reference.Encode(s).Select(i => (int)i), ours);
            Assert.Equal(reference.Decode(ours.Select(i => (uint)i).ToArray()), tokenizer.Decode(ours));
        }
        Assert.Equal([259, 264], tokenizer.Encode("hello world"));   // merges: he 256, ll 257, hell 258, hello 259 … Ġworld 264
    }

    [Fact]
    public void Special_ids_come_from_the_config_files_and_a_bos_template_turns_bos_on()
    {
        WriteFixture(withBosTemplate: true);
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"), """{"eos_token": {"content": "<|im_end|>"}}""");
        File.WriteAllText(Path.Combine(_dir, "generation_config.json"), """{"eos_token_id": [269, 267]}""");
        var tokenizer = TokenizerLoader.Load(_dir);
        int endOfText = 267, imEnd = 269;
        Assert.Equal(endOfText, tokenizer.BosId);
        Assert.Equal([imEnd, endOfText], tokenizer.EosIds);
        Assert.Equal(imEnd, tokenizer.PadId);
        Assert.True(tokenizer.AddsBos);
        using var reference = new global::Tokenizers.DotNet.Tokenizer(Path.Combine(_dir, "tokenizer.json"));
        Assert.Equal(reference.Encode("hello world").Select(i => (int)i), tokenizer.Encode("hello world"));
        Assert.Equal("hello world", tokenizer.Decode(tokenizer.Encode("hello world")));
    }
}
