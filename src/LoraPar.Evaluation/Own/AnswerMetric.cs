namespace LoraPar.Evaluation.Own;

/// <summary>
/// How an answer to one's own question is judged against its gold answer: the same metric grades the held-out file
/// (<c>[eval.own]</c>) and rewards GRPO's completions (<c>[[rl.own_rewards]]</c>), through <see cref="AnswerGrader"/>.
/// </summary>
public enum AnswerMetric
{
    /// <summary>The answer span equals the gold span after SQuAD's normalisation (<see cref="AnswerNormalization"/>).</summary>
    Exact,

    /// <summary>The answer span and the gold span are the same number (GSM8K's extraction and comparison: <c>1,000</c> = <c>1000.0</c>).</summary>
    Numeric,

    /// <summary>The output matches a pattern in which <c>{gold}</c> stands for the gold span, matched literally.</summary>
    Regex,

    /// <summary>
    /// One of given options: on the held-out file the option of highest log-likelihood after the prompt (lm-evaluation-harness's
    /// <c>acc</c>, with <c>acc_norm</c> beside it); for a generated completion, the option its normalised span names.
    /// </summary>
    Choice,
}
