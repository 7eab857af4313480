namespace LoraPar.Model.Tokenizers;

/// <summary>The special token ids a tokenizer folder declares.</summary>
/// <param name="BosId">Beginning-of-sequence id, null when the model has none (Qwen2).</param>
/// <param name="EosIds">Ids that end a generation (LLaMA-3 and chat models have several); never empty.</param>
/// <param name="PadId">Id used to pad batches (the first EOS id when the folder names no pad token).</param>
/// <param name="AddBos">Whether prompts start with BOS (tokenizer_config.json <c>add_bos_token</c>).</param>
public sealed record SpecialTokens(int? BosId, IReadOnlyList<int> EosIds, int PadId, bool AddBos)
{
    /// <summary>The first EOS id.</summary>
    public int EosId => EosIds[0];
}

/// <summary>
/// Text ↔ token ids for one model. Implementations: <see cref="SentencePieceTextTokenizer"/> (LLaMA-2 tokenizer.model),
/// <see cref="ByteLevelBpeTokenizer"/> (LLaMA-3 / Qwen2 tokenizer.json) and <see cref="CharTokenizer"/> (the built-in tiny model).
/// Load one from a model folder with <see cref="TokenizerLoader.Load"/>.
/// </summary>
public abstract class TextTokenizer(SpecialTokens special)
{
    /// <summary>The special ids.</summary>
    public SpecialTokens Special { get; } = special;

    public int? BosId => Special.BosId;
    public int EosId => Special.EosId;
    public IReadOnlyList<int> EosIds => Special.EosIds;
    public int PadId => Special.PadId;

    /// <summary>Whether <see cref="Encode(string)"/> starts with BOS.</summary>
    public bool AddsBos => Special.AddBos && Special.BosId is not null;

    /// <summary>Number of ids the tokenizer can produce (the model's vocab_size may be padded beyond it).</summary>
    public abstract int VocabSize { get; }

    /// <summary>Encodes <paramref name="text"/>, with BOS first when the tokenizer adds one.</summary>
    public IReadOnlyList<int> Encode(string text) => Encode(text, AddsBos);

    /// <summary>Encodes <paramref name="text"/>, with BOS first when <paramref name="addBos"/> and the model has one.</summary>
    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        var ids = EncodeText(text);
        return addBos && BosId is { } bos ? [bos, .. ids] : ids;
    }

    /// <summary>Text of <paramref name="ids"/>; special tokens (BOS, EOS, pad, …) are left out when <paramref name="skipSpecial"/>.</summary>
    public abstract string Decode(IEnumerable<int> ids, bool skipSpecial = true);

    /// <summary>
    /// The text <paramref name="ids"/> add after <paramref name="prompt"/>: both decoded together, less the longest start they
    /// share with the prompt decoded alone (all of it, unless the prompt ends inside a character written as bytes).
    /// </summary>
    public string DecodeAfter(IReadOnlyList<int> prompt, IReadOnlyList<int> ids)
    {
        var head = Decode(prompt);
        var whole = Decode([.. prompt, .. ids]);
        return whole[head.AsSpan().CommonPrefixLength(whole)..];
    }

    /// <summary>Whether <paramref name="id"/> ends a generation.</summary>
    public bool IsEos(int id) => Special.EosIds.Contains(id);

    /// <summary>Encodes plain text without BOS or EOS.</summary>
    protected abstract IReadOnlyList<int> EncodeText(string text);
}
