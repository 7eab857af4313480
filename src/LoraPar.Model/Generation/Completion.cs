using LoraPar.Model.Tokenizers;

namespace LoraPar.Model.Generation;

/// <summary>One row's completion while it is being generated: its tokens, their log-probabilities and why it ended.</summary>
internal sealed class Completion
{
    private readonly List<int> _ids = [];
    private readonly List<float> _logProbs = [];

    public FinishReason? Finish { get; private set; }
    public string Text { get; private set; } = "";

    public bool Done => Finish is not null;

    /// <summary>Takes one sampled token; ends the row on EOS, on a stop string in the text, or at the token limit.</summary>
    public void Accept(int token, float logProb, TextTokenizer tokenizer, GenerationOptions options)
    {
        _ids.Add(token);
        _logProbs.Add(logProb);
        if (tokenizer.IsEos(token)) Finish = FinishReason.Eos;
        else if (options.StopStrings.Count > 0 && StopStrings.FirstIndex(tokenizer.Decode(_ids), options.StopStrings) >= 0) Finish = FinishReason.Stop;
        else if (_ids.Count >= options.MaxNewTokens) Finish = FinishReason.Length;
    }

    /// <summary>The finished completion: text decoded without special tokens and cut before the first stop string.</summary>
    public GeneratedText Result(TextTokenizer tokenizer, GenerationOptions options)
    {
        var text = tokenizer.Decode(_ids);
        var stop = StopStrings.FirstIndex(text, options.StopStrings);
        return new GeneratedText(stop >= 0 ? text[..stop] : text, _ids.ToArray(), _logProbs.ToArray(), Finish ?? FinishReason.Length);
    }
}
