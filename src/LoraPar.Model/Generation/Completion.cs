using LoraPar.Model.Tokenizers;

namespace LoraPar.Model.Generation;

/// <summary>One row's completion while it is being generated: its tokens, their log-probabilities and why it ended.</summary>
internal sealed class Completion(IReadOnlyList<int> prompt)
{
    private readonly List<int> _ids = [];
    private readonly List<float> _logProbs = [];

    public FinishReason? Finish { get; private set; }

    public bool Done => Finish is not null;

    /// <summary>Takes one sampled token; ends the row on EOS, on a stop string in the text, or at the token limit.</summary>
    public void Accept(int token, float logProb, TextTokenizer tokenizer, GenerationOptions options)
    {
        _ids.Add(token);
        _logProbs.Add(logProb);
        if (tokenizer.IsEos(token)) Finish = FinishReason.Eos;
        else if (options.StopStrings.Count > 0 && StopStrings.FirstIndex(CompletionText.Decode(tokenizer, prompt, _ids, options), options.StopStrings) >= 0) Finish = FinishReason.Stop;
        else if (_ids.Count >= options.MaxNewTokens) Finish = FinishReason.Length;
    }

    /// <summary>The finished completion: its text (<see cref="CompletionText.Finished"/>), ids, log-probabilities and end.</summary>
    public GeneratedText Result(TextTokenizer tokenizer, GenerationOptions options) =>
        new(CompletionText.Finished(tokenizer, prompt, _ids, options), _ids.ToArray(), _logProbs.ToArray(), Finish ?? FinishReason.Length);
}
