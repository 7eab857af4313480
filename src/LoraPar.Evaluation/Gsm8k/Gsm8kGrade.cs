namespace LoraPar.Evaluation.Gsm8k;

/// <summary>How one GSM8K completion fares under both extractions.</summary>
public sealed record Gsm8kGrade(string? StrictAnswer, string? FlexibleAnswer, bool StrictCorrect, bool FlexibleCorrect)
{
    /// <summary>Grades <paramref name="completion"/> against the gold answer.</summary>
    public static Gsm8kGrade Of(string completion, string gold)
    {
        var strict = AnswerExtractor.Extract(completion, ExtractionMode.Strict);
        var flexible = AnswerExtractor.Extract(completion, ExtractionMode.Flexible);
        return new Gsm8kGrade(strict, flexible, NumericAnswer.Equal(strict, gold), NumericAnswer.Equal(flexible, gold));
    }
}
