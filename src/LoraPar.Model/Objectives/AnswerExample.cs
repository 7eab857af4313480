using LoraPar.Model.Tokenizers;

namespace LoraPar.Model.Objectives;

/// <summary>
/// One example of the answer-only objective as token ids: the prompt (BOS first when the tokenizer adds one), which
/// <see cref="AnswerOnlyLoss"/> masks, and the response (EOS last when encoded for training), on which the loss is
/// computed (paper §3.3: "we focus only on output positions"). SFT trains on it; importance scoring differentiates it.
/// </summary>
/// <param name="PromptIds">The prompt's ids.</param>
/// <param name="ResponseIds">The response's ids.</param>
public sealed record AnswerExample(IReadOnlyList<int> PromptIds, IReadOnlyList<int> ResponseIds)
{
    /// <summary>Prompt plus response length in tokens.</summary>
    public int Length => PromptIds.Count + ResponseIds.Count;

    /// <summary>
    /// Encodes <paramref name="prompt"/> (with BOS as the tokenizer says) and <paramref name="response"/> separately, so the
    /// boundary between them is exact, and appends EOS to the response when <paramref name="appendEos"/> (so the model
    /// learns to stop).
    /// </summary>
    public static AnswerExample Encode(TextTokenizer tokenizer, string prompt, string response, bool appendEos = true)
    {
        var promptIds = tokenizer.Encode(prompt);
        var responseIds = tokenizer.Encode(response, addBos: false);
        return new AnswerExample(promptIds, appendEos ? [.. responseIds, tokenizer.EosId] : responseIds);
    }

    /// <summary>The first <paramref name="maxLength"/> tokens of prompt + response (right truncation, as TRL); the response may become empty.</summary>
    public AnswerExample Truncated(int maxLength)
    {
        if (maxLength < 1) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "the maximum length must be at least 1");
        if (Length <= maxLength) return this;
        if (PromptIds.Count >= maxLength) return new AnswerExample(PromptIds.Take(maxLength).ToArray(), []);
        return new AnswerExample(PromptIds, ResponseIds.Take(maxLength - PromptIds.Count).ToArray());
    }

    /// <summary>
    /// <see cref="Truncated"/> to <paramref name="maxLength"/>, or null when no response token remains (the prompt alone
    /// fills the length, the response was empty, or there is no prompt token to predict the first response token from):
    /// such an example carries no answer-only loss and would only dilute a mean gradient or the Fisher.
    /// </summary>
    public AnswerExample? Fitted(int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (PromptIds.Count == 0) return null;
        var truncated = Truncated(maxLength);
        return truncated.ResponseIds.Count == 0 ? null : truncated;
    }
}
