namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// The correctness reward for data whose answer is free text (Dolly-15K and Open-Platypus responses, CodeAlpaca and CodeFeedback
/// code), where the paper gives no RL reward: <see cref="Value"/> × ROUGE-L F1 (<see cref="RougeL"/>) of the
/// <c>&lt;answer&gt;</c> block against the reference response, so a completion that reproduces the reference earns what a
/// correct GSM8K answer earns (2.0) and partial overlap earns a share of it. No <c>&lt;answer&gt;</c> block scores 0, as in
/// <see cref="CorrectnessReward"/>.
/// </summary>
public static class ReferenceOverlapReward
{
    /// <summary>The reward for an answer equal to the reference (the authors' correctness value, 2.0).</summary>
    public const double Value = CorrectnessReward.Value;

    /// <summary>Scores one completion against the reference response.</summary>
    public static double Score(string completion, string reference) =>
        AnswerText.ExtractXmlAnswer(completion) is { } answer ? Value * RougeL.F1(answer, reference) : 0.0;
}
