namespace LoraPar.Model.Generation;

/// <summary>How to decode: <see cref="Temperature"/> 0 is greedy; otherwise sampling with optional top-p / top-k, seeded.</summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 256;
    public double Temperature { get; init; }
    public double TopP { get; init; } = 1.0;
    public int TopK { get; init; }
    public IReadOnlyList<string> StopStrings { get; init; } = [];
    public long Seed { get; init; } = 1234;

    /// <summary>
    /// Decode each completion together with its prompt and keep the text after the prompt's (<see cref="CompletionText"/>):
    /// exact whitespace where the completion starts, which HumanEval programs (prompt + completion) need. Off, completions
    /// are decoded alone, as TRL does for rewards.
    /// </summary>
    public bool DecodeAfterPrompt { get; init; }
}

/// <summary>Why a completion ended.</summary>
public enum FinishReason
{
    Eos,
    Stop,
    Length,
}

/// <summary>One completion: its text (stop string excluded), token ids and the log-probability of each sampled token.</summary>
public sealed record GeneratedText(string Text, IReadOnlyList<int> TokenIds, IReadOnlyList<float> TokenLogProbs, FinishReason Finish);

/// <summary>Generates completions for a batch of prompts (already formatted; the generator adds BOS as its tokenizer says).</summary>
public interface ITextGenerator
{
    IReadOnlyList<GeneratedText> Generate(IReadOnlyList<string> prompts, GenerationOptions options);
}

/// <summary>A context and a continuation whose log-likelihood is asked for.</summary>
public sealed record ScoringRequest(string Context, string Continuation);

/// <summary>Scores continuations by teacher forcing: the sum of log p(continuation tokens | context), one value per request.</summary>
public interface ICompletionScorer
{
    IReadOnlyList<double> LogLikelihood(IReadOnlyList<ScoringRequest> requests);
}
