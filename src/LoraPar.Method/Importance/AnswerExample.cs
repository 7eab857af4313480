using LoraPar.Model.Tokenizers;

namespace LoraPar.Method.Importance;

/// <summary>
/// One scoring example as token ids: the prompt (BOS first when the tokenizer adds one), which the answer-only loss masks,
/// and the response, on which the loss is computed (paper §3.3: "we focus only on output positions").
/// </summary>
/// <param name="PromptIds">The prompt's ids; at least one, since the first response token is predicted from the prompt.</param>
/// <param name="ResponseIds">The response's ids.</param>
public sealed record AnswerExample(IReadOnlyList<int> PromptIds, IReadOnlyList<int> ResponseIds)
{
    /// <summary>Prompt plus response length in tokens.</summary>
    public int Length => PromptIds.Count + ResponseIds.Count;

    /// <summary>
    /// Encodes <paramref name="prompt"/> (with BOS as the tokenizer says) and <paramref name="response"/> separately, so the
    /// boundary is exact, and appends EOS to the response when <paramref name="appendEos"/> (as SFT trains it).
    /// </summary>
    public static AnswerExample Encode(TextTokenizer tokenizer, string prompt, string response, bool appendEos = true)
    {
        var promptIds = tokenizer.Encode(prompt);
        var responseIds = tokenizer.Encode(response, addBos: false);
        return new AnswerExample(promptIds, appendEos ? [.. responseIds, tokenizer.EosId] : responseIds);
    }

    /// <summary>
    /// The first <paramref name="maxLength"/> tokens of prompt + response (right truncation, as SFT truncates), or null when
    /// no response token remains (the prompt alone fills the length, the response was empty, or there is no prompt token to
    /// predict the first response token from): such an example carries no answer-only loss and would only dilute the mean
    /// gradient and the Fisher.
    /// </summary>
    public AnswerExample? Fitted(int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (PromptIds.Count == 0 || ResponseIds.Count == 0 || PromptIds.Count >= maxLength) return null;
        return Length <= maxLength ? this : new AnswerExample(PromptIds, ResponseIds.Take(maxLength - PromptIds.Count).ToArray());
    }
}
