using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Llama;

namespace LoraPar.Model.Tokenizers;

/// <summary>
/// Loads the tokenizer of a Hugging Face model folder: <c>tokenizer.model</c> (SentencePiece) when present, else
/// <c>tokenizer.json</c> (byte-level BPE or lorapar's character vocabulary). Special ids come from tokenizer_config.json,
/// then generation_config.json, then config.json, then the tokenizer itself.
/// </summary>
public static class TokenizerLoader
{
    public const string SentencePieceFile = "tokenizer.model";
    public const string TokenizerJsonFile = "tokenizer.json";
    public const string TokenizerConfigFile = "tokenizer_config.json";

    /// <summary>The tokenizer of <paramref name="directory"/>.</summary>
    public static TextTokenizer Load(string directory)
    {
        var settings = Tokenizers.TokenizerConfigFile.TryLoad(Path.Combine(directory, TokenizerConfigFile));
        var generation = GenerationConfig.TryLoad(Path.Combine(directory, HfCheckpoint.GenerationConfigFile));
        var model = File.Exists(Path.Combine(directory, HfCheckpoint.ConfigFile)) ? LlamaConfig.Load(Path.Combine(directory, HfCheckpoint.ConfigFile)) : null;
        var declared = new Declared(settings, generation, model);
        var spm = Path.Combine(directory, SentencePieceFile);
        if (File.Exists(spm))
        {
            var pieces = SentencePieceModel.Load(spm);
            var ids = Resolve(declared, pieces.PieceToId, pieces.BosId, pieces.EosId, addBosByDefault: true, spm);
            return new SentencePieceTextTokenizer(pieces, ids);
        }
        var jsonPath = Path.Combine(directory, TokenizerJsonFile);
        if (!File.Exists(jsonPath))
            throw new BadInputException($"{directory}: no {SentencePieceFile} or {TokenizerJsonFile}; copy the model's tokenizer files into the folder.");
        var json = TokenizerJson.Load(jsonPath);
        int? Lookup(string text) => json.AddedTokens.FirstOrDefault(t => t.Content == text)?.Id ?? (json.Vocab.TryGetValue(text, out var id) ? id : null);
        var templateBos = json.TemplateBos is { } tb ? Lookup(tb) : null;
        var special = Resolve(declared, Lookup, templateBos, null, addBosByDefault: templateBos is not null, jsonPath);
        return json.Kind == TokenizerJsonKind.Characters ? CharTokenizer.FromJson(json, special) : ByteLevelBpeTokenizer.Create(json, special, jsonPath);
    }

    private sealed record Declared(Tokenizers.TokenizerConfigFile? Settings, GenerationConfig? Generation, LlamaConfig? Model);

    private static SpecialTokens Resolve(Declared d, Func<string, int?> lookup, int? nativeBos, int? nativeEos, bool addBosByDefault, string source)
    {
        int? FromText(string? text) => text is null ? null : lookup(text);
        var bos = FromText(d.Settings?.BosToken) ?? d.Generation?.BosTokenId ?? d.Model?.BosTokenId ?? nativeBos;
        var eos = new List<int>();
        void Add(int? id)
        {
            if (id is { } value && !eos.Contains(value)) eos.Add(value);
        }
        Add(FromText(d.Settings?.EosToken));
        foreach (var id in d.Generation?.EosTokenIds ?? []) Add(id);
        if (eos.Count == 0) foreach (var id in d.Model?.EosTokenIds ?? []) Add(id);
        Add(eos.Count == 0 ? nativeEos : null);
        if (eos.Count == 0)
            throw new BadInputException($"{source}: no end-of-sequence token is declared; set eos_token in tokenizer_config.json or eos_token_id in generation_config.json.");
        var pad = FromText(d.Settings?.PadToken) ?? d.Generation?.PadTokenId ?? d.Model?.PadTokenId ?? eos[0];
        return new SpecialTokens(bos, eos, pad, d.Settings?.AddBosToken ?? addBosByDefault);
    }
}
