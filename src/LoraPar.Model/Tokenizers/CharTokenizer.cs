using LoraPar.Core;
using System.Text;
using System.Text.Json;

namespace LoraPar.Model.Tokenizers;

/// <summary>
/// One token per character, for the built-in tiny model. Ids 0–3 are &lt;pad&gt;, &lt;s&gt;, &lt;/s&gt;, &lt;unk&gt;, then the alphabet.
/// It is saved as a standard HF <c>tokenizer.json</c> (a BPE model with the character vocabulary and no merges, no
/// pre-tokenizer, a Fuse decoder and a template that adds &lt;s&gt;), which HF <c>tokenizers</c> loads and encodes identically.
/// </summary>
public sealed class CharTokenizer : TextTokenizer
{
    /// <summary>The special tokens, in id order.</summary>
    public static IReadOnlyList<string> SpecialTokenTexts { get; } = ["<pad>", "<s>", "</s>", "<unk>"];

    private const int Pad = 0, Bos = 1, Eos = 2, Unk = 3;
    private readonly Dictionary<string, int> _ids;
    private readonly string?[] _texts;
    private readonly string[] _specialTexts;
    private readonly HashSet<int> _specialIds;
    private readonly int _unk;

    private CharTokenizer(IReadOnlyDictionary<string, int> vocab, IReadOnlyList<string> specialTexts, string? unk, SpecialTokens special)
        : base(special)
    {
        _ids = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        _texts = new string?[vocab.Values.Max() + 1];
        foreach (var (text, id) in vocab) _texts[id] = text;
        _specialTexts = specialTexts.OrderByDescending(t => t.Length).ToArray();
        _specialIds = specialTexts.Select(t => _ids[t]).ToHashSet();
        _unk = unk is not null && _ids.TryGetValue(unk, out var u) ? u : -1;
    }

    /// <summary>A tokenizer over every distinct character of <paramref name="alphabet"/> (ordinal order), specials first.</summary>
    public static CharTokenizer Create(string alphabet)
    {
        var characters = Runes(alphabet).Distinct().Where(c => !SpecialTokenTexts.Contains(c)).Order(StringComparer.Ordinal);
        var vocab = SpecialTokenTexts.Concat(characters).Select((text, id) => (text, id)).ToDictionary(x => x.text, x => x.id);
        return new CharTokenizer(vocab, SpecialTokenTexts, SpecialTokenTexts[Unk], new SpecialTokens(Bos, [Eos], Pad, AddBos: true));
    }

    /// <summary>Printable ASCII plus newline and tab: enough for the synthetic tasks.</summary>
    public static CharTokenizer CreateAscii() =>
        Create("\n\t" + new string(Enumerable.Range(32, 95).Select(c => (char)c).ToArray()));

    /// <summary>The tokenizer of a parsed character tokenizer.json (added tokens are matched whole, as HF does).</summary>
    public static CharTokenizer FromJson(TokenizerJson json, SpecialTokens special)
    {
        var vocab = json.Vocab.Concat(json.AddedTokens.Where(t => !json.Vocab.ContainsKey(t.Content))
            .Select(t => KeyValuePair.Create(t.Content, t.Id))).ToDictionary();
        return new CharTokenizer(vocab, json.AddedTokens.Select(t => t.Content).ToList(), json.UnkToken, special);
    }

    public override int VocabSize => _texts.Length;

    /// <summary>The characters, in id order (special tokens left out).</summary>
    public IReadOnlyList<string> Alphabet => _texts.Where((t, id) => t is not null && !_specialIds.Contains(id)).Select(t => t!).ToList();

    protected override IReadOnlyList<int> EncodeText(string text)
    {
        var ids = new List<int>(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var special = _specialTexts.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0);
            var piece = special ?? char.ConvertFromUtf32(char.ConvertToUtf32(text, i));
            if (_ids.TryGetValue(piece, out var id)) ids.Add(id);
            else if (_unk >= 0) ids.Add(_unk);
            i += piece.Length;
        }
        return ids;
    }

    public override string Decode(IEnumerable<int> ids, bool skipSpecial = true)
    {
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            if (id < 0 || id >= _texts.Length || _texts[id] is null || (skipSpecial && _specialIds.Contains(id))) continue;
            text.Append(_texts[id]);
        }
        return text.ToString();
    }

    /// <summary>Writes tokenizer.json and tokenizer_config.json (atomically) so HF tokenizers and lorapar both load the folder.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var specials = _specialIds.Order().Select(id => (_texts[id]!, id)).ToList();
        string? Text(int? id) => id is { } i && i >= 0 && i < _texts.Length ? _texts[i] : null;
        AtomicFile.WriteAllText(Path.Combine(directory, TokenizerLoader.TokenizerJsonFile),
            CharTokenizerJson.TokenizerJson(_ids, specials, Text(_unk), Text(BosId)));
        AtomicFile.WriteAllText(Path.Combine(directory, TokenizerLoader.TokenizerConfigFile),
            CharTokenizerJson.TokenizerConfig(Text(PadId), Text(BosId), Text(EosId), Text(_unk), AddsBos));
    }

    private static IEnumerable<string> Runes(string text) => text.EnumerateRunes().Select(r => r.ToString());
}

/// <summary>The HF JSON files of a <see cref="CharTokenizer"/>.</summary>
internal static class CharTokenizerJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string TokenizerJson(IReadOnlyDictionary<string, int> vocab, IReadOnlyList<(string Text, int Id)> specials, string? unk, string? bos)
    {
        var document = new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = specials.Select(s => new Dictionary<string, object>
            {
                ["id"] = s.Id, ["content"] = s.Text, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
                ["normalized"] = false, ["special"] = true,
            }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = null,
            ["post_processor"] = bos is null ? null : Template(bos, vocab[bos]),
            ["decoder"] = new Dictionary<string, object> { ["type"] = "Fuse" },
            ["model"] = new Dictionary<string, object?>
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = unk, ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = vocab.OrderBy(v => v.Value).ToDictionary(), ["merges"] = Array.Empty<string>(),
            },
        };
        return JsonSerializer.Serialize(document, Indented) + "\n";
    }

    /// <summary>A TemplateProcessing post-processor that puts <paramref name="bos"/> before each sequence.</summary>
    private static object Template(string bos, int bosId)
    {
        object Special(int typeId) => new { SpecialToken = new { id = bos, type_id = typeId } };
        object Sequence(string id, int typeId) => new { Sequence = new { id, type_id = typeId } };
        return new Dictionary<string, object>
        {
            ["type"] = "TemplateProcessing",
            ["single"] = new[] { Special(0), Sequence("A", 0) },
            ["pair"] = new[] { Special(0), Sequence("A", 0), Special(1), Sequence("B", 1) },
            ["special_tokens"] = new Dictionary<string, object> { [bos] = new { id = bos, ids = new[] { bosId }, tokens = new[] { bos } } },
        };
    }

    public static string TokenizerConfig(string? pad, string? bos, string? eos, string? unk, bool addBos)
    {
        var config = new Dictionary<string, object?>
        {
            ["tokenizer_class"] = "PreTrainedTokenizerFast", ["add_bos_token"] = addBos, ["add_eos_token"] = false,
            ["pad_token"] = pad, ["bos_token"] = bos, ["eos_token"] = eos, ["unk_token"] = unk,
            ["clean_up_tokenization_spaces"] = false, ["model_max_length"] = 1_000_000,
        };
        return JsonSerializer.Serialize(config, Indented) + "\n";
    }
}
