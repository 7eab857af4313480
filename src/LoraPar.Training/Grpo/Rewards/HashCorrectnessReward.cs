namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// Correctness on GSM8K's own layout: <see cref="Value"/> when the number after the first <c>####</c> equals the gold
/// number, else 0. For models trained to answer in GSM8K style (<c>… #### 18</c>) rather than with tags.
/// </summary>
public static class HashCorrectnessReward
{
    /// <summary>The reward for a correct answer (as <see cref="CorrectnessReward.Value"/>).</summary>
    public const double Value = 2.0;

    /// <summary>Scores one completion against the gold number.</summary>
    public static double Score(string completion, string gold) =>
        AnswerText.MatchesGold(AnswerText.ExtractHashAnswer(completion), gold) ? Value : 0.0;
}
