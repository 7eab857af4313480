using LoraPar.Core;
using LoraPar.Model.Llama;
using LoraPar.Model.Tokenizers;

namespace LoraPar.Model.Checkpoints;

/// <summary>The shape of a <see cref="TinyCheckpoint"/>: width, depth and heads of the decoder (the vocabulary is the tokenizer's).</summary>
/// <param name="HiddenSize">Model width d (the suite uses 32–64).</param>
/// <param name="Layers">Decoder layers.</param>
/// <param name="Heads">Query heads (divides <paramref name="HiddenSize"/>).</param>
/// <param name="KeyValueHeads">Key/value heads (divides <paramref name="Heads"/>).</param>
/// <param name="MaxPositions">Longest sequence (<c>max_position_embeddings</c>).</param>
public sealed record TinyCheckpointShape(int HiddenSize = 32, int Layers = 2, int Heads = 4, int KeyValueHeads = 2, int MaxPositions = 512)
{
    /// <summary>What is wrong with the shape, or null.</summary>
    public string? Problem() =>
        HiddenSize < 8 || Layers < 1 || Heads < 1 || KeyValueHeads < 1 || MaxPositions < 16 ? "sizes must be positive (hidden size ≥ 8, positions ≥ 16)"
        : HiddenSize % Heads != 0 ? $"hidden size {HiddenSize} is not a multiple of the {Heads} heads"
        : Heads % KeyValueHeads != 0 ? $"{Heads} heads cannot share {KeyValueHeads} key/value heads evenly"
        : null;
}

/// <summary>
/// A Hugging Face LLaMA checkpoint folder small enough for a CPU test, with a real SentencePiece tokenizer: config.json,
/// generation_config.json, model.safetensors (weights drawn from a seed, untrained), tokenizer.model (copied) and
/// tokenizer_config.json / special_tokens_map.json naming LLaMA-2's special tokens. It loads like any downloaded checkpoint
/// (<c>[model] source = "checkpoint"</c>), so the checkpoint loader and the SentencePiece path run end to end.
/// </summary>
public static class TinyCheckpoint
{
    /// <summary>The tokenizer_config.json written: LLaMA-2's, with its <c>&lt;s&gt;</c> / <c>&lt;/s&gt;</c> / <c>&lt;unk&gt;</c> and BOS added.</summary>
    public static string TokenizerConfigJson(int maxLength) =>
        "{\n  \"tokenizer_class\": \"LlamaTokenizer\",\n  \"bos_token\": \"<s>\",\n  \"eos_token\": \"</s>\",\n  \"unk_token\": \"<unk>\",\n"
        + $"  \"pad_token\": null,\n  \"add_bos_token\": true,\n  \"add_eos_token\": false,\n  \"model_max_length\": {maxLength}\n}}\n";

    /// <summary>The special_tokens_map.json written (LLaMA-2's).</summary>
    public const string SpecialTokensMapJson = "{\n  \"bos_token\": \"<s>\",\n  \"eos_token\": \"</s>\",\n  \"unk_token\": \"<unk>\"\n}\n";

    /// <summary>
    /// Writes the folder <paramref name="directory"/> atomically (replacing one that exists) from the SentencePiece model
    /// <paramref name="tokenizerModel"/> (a tokenizer.model file, or a folder holding one); returns the folder's full path.
    /// </summary>
    public static string Write(string directory, string tokenizerModel, TinyCheckpointShape shape, long seed)
    {
        if (shape.Problem() is { } problem) throw new BadInputException($"tiny checkpoint: {problem}");
        var spm = Directory.Exists(tokenizerModel) ? Path.Combine(tokenizerModel, TokenizerLoader.SentencePieceFile) : tokenizerModel;
        if (!File.Exists(spm)) throw new BadInputException($"{spm}: no SentencePiece tokenizer.model here; point at LLaMA's tokenizer.model or its folder");
        var vocabulary = SentencePieceModel.Load(spm).Pieces.Count;
        var config = TinyModelFactory.Config(vocabulary, shape.HiddenSize, shape.Layers, shape.Heads, shape.KeyValueHeads, shape.MaxPositions)
            with { PadTokenId = null };
        return AtomicFolder.Write(directory, temp =>
        {
            using (var model = TinyModelFactory.Create(config, seed)) HfCheckpoint.Save(model, temp);
            File.Copy(spm, Path.Combine(temp, TokenizerLoader.SentencePieceFile));
            File.WriteAllText(Path.Combine(temp, TokenizerLoader.TokenizerConfigFile), TokenizerConfigJson(shape.MaxPositions));
            File.WriteAllText(Path.Combine(temp, "special_tokens_map.json"), SpecialTokensMapJson);
        });
    }
}
