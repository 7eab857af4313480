namespace LoraPar.Training.Grpo.Rewards;

/// <summary>Correctness on the <c>&lt;answer&gt;</c> block: <see cref="Value"/> when its text equals the gold number, else 0.</summary>
public static class CorrectnessReward
{
    /// <summary>The reward for a correct answer (the authors' 2.0).</summary>
    public const double Value = 2.0;

    /// <summary>Scores one completion against the gold number (e.g. "18").</summary>
    public static double Score(string completion, string gold) =>
        AnswerText.MatchesGold(AnswerText.ExtractXmlAnswer(completion), gold) ? Value : 0.0;
}
