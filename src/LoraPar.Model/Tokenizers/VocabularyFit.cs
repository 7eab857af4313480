using LoraPar.Model.Llama;

namespace LoraPar.Model.Tokenizers;

/// <summary>
/// Whether a tokenizer fits a model: every id it can produce needs a row of the embedding, so the tokenizer may not have more
/// tokens than the model's <c>vocab_size</c> (fewer is fine: checkpoints often pad the embedding to a multiple of 64 or 128).
/// </summary>
public static class VocabularyFit
{
    /// <summary>Why <paramref name="tokenizer"/> does not fit <paramref name="config"/> (both sizes named), or null when it does.</summary>
    public static string? Problem(LlamaConfig config, TextTokenizer tokenizer, string folder) =>
        tokenizer.VocabSize <= config.VocabSize
            ? null
            : $"{folder}: the tokenizer has {tokenizer.VocabSize} tokens but config.json has vocab_size = {config.VocabSize}, so ids from "
              + $"{config.VocabSize} on have no embedding row; use the tokenizer the model was trained with";
}
