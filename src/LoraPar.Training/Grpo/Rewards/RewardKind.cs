namespace LoraPar.Training.Grpo.Rewards;

/// <summary>The GRPO reward functions (DESIGN.md, Stage 2). Each is a pure function of one completion (and the gold answer).</summary>
public enum RewardKind
{
    /// <summary>2.0 when the text inside <c>&lt;answer&gt;…&lt;/answer&gt;</c> equals the gold number (<see cref="CorrectnessReward"/>).</summary>
    Correctness,

    /// <summary>2.0 when the number after <c>####</c> equals the gold number (<see cref="HashCorrectnessReward"/>).</summary>
    HashCorrectness,

    /// <summary>0.5 when the <c>&lt;answer&gt;</c> content is an integer (<see cref="IntegerAnswerReward"/>).</summary>
    IntegerAnswer,

    /// <summary>0.5 for exactly the reasoning/answer layout, line by line (<see cref="StrictFormatReward"/>).</summary>
    StrictFormat,

    /// <summary>0.5 for a reasoning block followed by an answer block (<see cref="SoftFormatReward"/>).</summary>
    SoftFormat,

    /// <summary>0.125 per well-placed tag, minus a small penalty for text after the answer (<see cref="XmlTagCountReward"/>).</summary>
    XmlTagCount,
}
