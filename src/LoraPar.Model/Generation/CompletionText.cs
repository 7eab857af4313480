using LoraPar.Model.Tokenizers;

namespace LoraPar.Model.Generation;

/// <summary>
/// The text of a completion's ids: decoded alone (as TRL decodes completions) or, with
/// <see cref="GenerationOptions.DecodeAfterPrompt"/>, decoded together with the prompt's ids and taken after the prompt's
/// text, which keeps the whitespace at the seam exact (SentencePiece drops the leading space of ids decoded alone).
/// </summary>
public static class CompletionText
{
    /// <summary>The text of <paramref name="ids"/>, special tokens left out, before any stop string is cut.</summary>
    public static string Decode(TextTokenizer tokenizer, IReadOnlyList<int> prompt, IReadOnlyList<int> ids, GenerationOptions options) =>
        options.DecodeAfterPrompt ? tokenizer.DecodeAfter(prompt, ids) : tokenizer.Decode(ids);

    /// <summary>The finished completion's text: <see cref="Decode"/> cut before the first stop string.</summary>
    public static string Finished(TextTokenizer tokenizer, IReadOnlyList<int> prompt, IReadOnlyList<int> ids, GenerationOptions options)
    {
        var text = Decode(tokenizer, prompt, ids, options);
        var stop = StopStrings.FirstIndex(text, options.StopStrings);
        return stop >= 0 ? text[..stop] : text;
    }
}
