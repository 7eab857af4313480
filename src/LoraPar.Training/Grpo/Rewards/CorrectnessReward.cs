namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// Correctness on the <c>&lt;answer&gt;</c> block: <see cref="Value"/> when it holds the gold number, else 0. Under
/// <see cref="RewardRules.Authors"/> the authors' <c>correctness_reward_func</c>: their extracted answer
/// (<see cref="AnswerText.ExtractXmlAnswerAsAuthors"/>) must equal the gold with commas removed, character for character
/// ("1,000" and "18.0" are wrong); under <see cref="RewardRules.Lorapar"/> the tag is required and numbers compare by value
/// (<see cref="AnswerText.MatchesGold"/>).
/// </summary>
public static class CorrectnessReward
{
    /// <summary>The reward for a correct answer (the authors' 2.0).</summary>
    public const double Value = 2.0;

    /// <summary>Scores one completion against the gold number (e.g. "18").</summary>
    public static double Score(string completion, string gold, RewardRules rules) => rules == RewardRules.Authors
        ? string.Equals(AnswerText.ExtractXmlAnswerAsAuthors(completion), AnswerText.AuthorsGold(gold), StringComparison.Ordinal) ? Value : 0.0
        : AnswerText.MatchesGold(AnswerText.ExtractXmlAnswer(completion), gold) ? Value : 0.0;
}
