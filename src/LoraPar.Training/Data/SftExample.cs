using LoraPar.Model.Tokenizers;

namespace LoraPar.Training.Data;

/// <summary>
/// One supervised example as token ids: the prompt (BOS first when the tokenizer adds one), which the loss ignores, and
/// the response (EOS last), on which the answer-only loss is computed.
/// </summary>
/// <param name="PromptIds">The prompt's ids.</param>
/// <param name="ResponseIds">The response's ids.</param>
public sealed record SftExample(IReadOnlyList<int> PromptIds, IReadOnlyList<int> ResponseIds)
{
    /// <summary>Prompt plus response length in tokens.</summary>
    public int Length => PromptIds.Count + ResponseIds.Count;

    /// <summary>
    /// Encodes <paramref name="prompt"/> (with BOS as the tokenizer says) and <paramref name="response"/> separately, so the
    /// boundary between them is exact, and appends EOS to the response so the model learns to stop.
    /// </summary>
    public static SftExample Encode(TextTokenizer tokenizer, string prompt, string response, bool appendEos = true)
    {
        var promptIds = tokenizer.Encode(prompt);
        var responseIds = tokenizer.Encode(response, addBos: false);
        return new SftExample(promptIds, appendEos ? [.. responseIds, tokenizer.EosId] : responseIds);
    }

    /// <summary>The first <paramref name="maxLength"/> tokens of prompt + response (right truncation, as TRL); the response may become empty.</summary>
    public SftExample Truncated(int maxLength)
    {
        if (maxLength < 1) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "the maximum length must be at least 1");
        if (Length <= maxLength) return this;
        if (PromptIds.Count >= maxLength) return new SftExample(PromptIds.Take(maxLength).ToArray(), []);
        return new SftExample(PromptIds, ResponseIds.Take(maxLength - PromptIds.Count).ToArray());
    }
}

/// <summary>The examples a stage trains on after truncation, and how many were left out because no response token remained.</summary>
/// <param name="Examples">Truncated examples that keep at least one response token.</param>
/// <param name="Dropped">Examples whose prompt alone filled the maximum length.</param>
public sealed record SftDataset(IReadOnlyList<SftExample> Examples, int Dropped)
{
    /// <summary>Truncates every example to <paramref name="maxLength"/> and drops those left without a response token.</summary>
    public static SftDataset Prepare(IEnumerable<SftExample> examples, int maxLength)
    {
        var kept = new List<SftExample>();
        var dropped = 0;
        foreach (var example in examples)
        {
            var truncated = example.Truncated(maxLength);
            if (truncated.ResponseIds.Count == 0) dropped++;
            else kept.Add(truncated);
        }
        return new SftDataset(kept, dropped);
    }

    /// <summary>Total response tokens (the tokens the loss is computed on).</summary>
    public long ResponseTokens => Examples.Sum(e => (long)e.ResponseIds.Count);
}
