using LoraPar.Core;
using System.Text.Json;

namespace LoraPar.Model.Tokenizers;

/// <summary>One entry of tokenizer.json's <c>added_tokens</c>.</summary>
public sealed record AddedToken(int Id, string Content, bool Special);

/// <summary>Which tokenizer.json layouts lorapar reads.</summary>
public enum TokenizerJsonKind
{
    /// <summary>Byte-level BPE (GPT-2 style; LLaMA-3, Qwen2): bytes mapped to printable characters, regex pre-split.</summary>
    ByteLevelBpe,

    /// <summary>A character vocabulary (BPE without merges, no pre-tokenizer, Fuse decoder): lorapar's tiny-model tokenizer.</summary>
    Characters,
}

/// <summary>The parts of a Hugging Face <c>tokenizer.json</c> that lorapar uses, read once and classified.</summary>
public sealed record TokenizerJson(
    TokenizerJsonKind Kind,
    IReadOnlyDictionary<string, int> Vocab,
    IReadOnlyList<(string Left, string Right)> Merges,
    IReadOnlyList<AddedToken> AddedTokens,
    string? UnkToken,
    string? SplitPattern,
    bool AddPrefixSpace,
    bool NfcNormalizer,
    string? TemplateBos)
{
    /// <summary>The GPT-2 split used by a ByteLevel pre-tokenizer with <c>use_regex = true</c>.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Reads <paramref name="path"/>; a <see cref="BadInputException"/> says what is unsupported.</summary>
    public static TokenizerJson Load(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return Parse(doc.RootElement, path);
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}:{e.LineNumber + 1}: not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new BadInputException($"{path}: not a Hugging Face tokenizer.json ({e.Message}).", e);
        }
    }

    private static TokenizerJson Parse(JsonElement root, string path)
    {
        var model = root.GetProperty("model");
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : "BPE";
        if (type != "BPE") throw Unsupported(path, $"model type \"{type}\" (only BPE models are read)");
        var vocab = model.GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var merges = model.TryGetProperty("merges", out var m) ? m.EnumerateArray().Select(Merge).ToList() : [];
        var added = root.TryGetProperty("added_tokens", out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Select(x => new AddedToken(x.GetProperty("id").GetInt32(), x.GetProperty("content").GetString()!,
                x.TryGetProperty("special", out var s) && s.GetBoolean())).ToList()
            : [];
        var unk = model.TryGetProperty("unk_token", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        var (pattern, byteLevel, prefixSpace) = PreTokenizer(Get(root, "pre_tokenizer"), path);
        var nfc = Normalizer(Get(root, "normalizer"), path);
        var decoder = Get(root, "decoder") is { } d ? d.GetProperty("type").GetString() : null;
        var templateBos = ReadTemplateBos(Get(root, "post_processor"));
        var kind = byteLevel ? TokenizerJsonKind.ByteLevelBpe
            : merges.Count == 0 && pattern is null && !nfc && decoder == "Fuse" ? TokenizerJsonKind.Characters
            : throw Unsupported(path, "a BPE model that is neither byte-level nor a character vocabulary " +
                "(SentencePiece-style tokenizer.json: put the model's tokenizer.model next to it instead)");
        return new TokenizerJson(kind, vocab, merges, added, unk, pattern, prefixSpace, nfc, templateBos);
    }

    private static (string Left, string Right) Merge(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Array) return (e[0].GetString()!, e[1].GetString()!);
        var text = e.GetString()!;
        var space = text.IndexOf(' ', 1);
        return space < 0 ? throw new FormatException($"merge \"{text}\" is not \"left right\"") : (text[..space], text[(space + 1)..]);
    }

    /// <summary>(split regex, whether byte-level, add_prefix_space) of a pre-tokenizer: Split(Regex) and/or ByteLevel, possibly in a Sequence.</summary>
    private static (string? Pattern, bool ByteLevel, bool PrefixSpace) PreTokenizer(JsonElement? e, string path)
    {
        if (e is not { } node) return (null, false, false);
        var parts = node.GetProperty("type").GetString() == "Sequence" ? node.GetProperty("pretokenizers").EnumerateArray().ToList() : [node];
        string? pattern = null;
        bool byteLevel = false, prefix = false;
        foreach (var p in parts)
        {
            switch (p.GetProperty("type").GetString())
            {
                case "Split" when p.GetProperty("pattern").TryGetProperty("Regex", out var regex) && !(p.TryGetProperty("invert", out var inv) && inv.GetBoolean()):
                    pattern = regex.GetString();
                    break;
                case "ByteLevel":
                    byteLevel = true;
                    prefix = p.TryGetProperty("add_prefix_space", out var ps) && ps.GetBoolean();
                    if (!p.TryGetProperty("use_regex", out var useRegex) || useRegex.GetBoolean()) pattern ??= Gpt2Pattern;
                    break;
                default:
                    throw Unsupported(path, $"pre_tokenizer {p.GetRawText()}");
            }
        }
        return (pattern, byteLevel, prefix);
    }

    private static bool Normalizer(JsonElement? e, string path) => e is not { } node ? false : node.GetProperty("type").GetString() switch
    {
        "NFC" => true,
        "Sequence" when node.GetProperty("normalizers").GetArrayLength() == 0 => false,
        _ => throw Unsupported(path, $"normalizer {node.GetRawText()}"),
    };

    /// <summary>The special token a TemplateProcessing post-processor puts before the text (the BOS it adds), if any.</summary>
    private static string? ReadTemplateBos(JsonElement? e)
    {
        if (e is not { } node) return null;
        if (node.GetProperty("type").GetString() == "Sequence")
            return node.GetProperty("processors").EnumerateArray().Select(p => ReadTemplateBos(p)).FirstOrDefault(b => b is not null);
        if (node.GetProperty("type").GetString() != "TemplateProcessing") return null;
        var first = node.GetProperty("single").EnumerateArray().FirstOrDefault();
        return first.ValueKind == JsonValueKind.Object && first.TryGetProperty("SpecialToken", out var st) ? st.GetProperty("id").GetString() : null;
    }

    private static JsonElement? Get(JsonElement root, string key) =>
        root.TryGetProperty(key, out var e) && e.ValueKind == JsonValueKind.Object ? e : null;

    private static BadInputException Unsupported(string path, string what) =>
        new($"{path}: unsupported tokenizer.json: {what}.");
}
