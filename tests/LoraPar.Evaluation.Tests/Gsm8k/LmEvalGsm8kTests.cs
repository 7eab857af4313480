using LoraPar.Evaluation.Gsm8k;

namespace LoraPar.Evaluation.Tests.Gsm8k;

public sealed class LmEvalGsm8kTests
{
    // Expected values are lm-evaluation-harness's own: its RegexFilter (lm_eval/filters/extraction.py) and
    // exact_match_hf_evaluate (lm_eval/api/metrics.py) run unmodified (commit 4e7e0d4) with gsm8k.yaml's settings on each
    // response and reference. Columns: response, reference, strict-match answer, its exact_match, flexible-extract answer,
    // its exact_match.
    [Theory]
    [InlineData("She has 3 + 4 = 7 apples.\n#### 7", "7", "7", true, "7", true)]
    [InlineData("#### 1,000.", "Work: 500 * 2 = <<500*2=1000>>1000\n#### 1,000", "1,000.", true, "1,000.", true)]
    [InlineData("####72", "72", "[invalid]", false, "72", true)]
    [InlineData("#### $72", "72", "[invalid]", false, "$72", true)]
    [InlineData("#### 72.0", "72", "72.0", false, "72.0", false)]
    [InlineData("#### 72.\n", "72", "72.", true, "72.", true)]
    [InlineData("#### -5", "-5", "-5", true, "-5", true)]
    [InlineData("#### - 5", "-5", "[invalid]", false, "5", false)]
    [InlineData("#### 1,0000", "10000", "1,0000", true, "1,0000", true)]
    [InlineData("The answer is 72.", "72", "[invalid]", false, "72.", true)]
    [InlineData("She ate 10 - 0", "10", "[invalid]", false, "0", false)]
    [InlineData("so 5, then.", "5", "[invalid]", false, "5,", true)]
    [InlineData("Total: $1,234.56", "1234.56", "[invalid]", false, "$1,234.56", true)]
    [InlineData("ends with 7 ..", "7", "[invalid]", false, "..", false)]
    [InlineData("- 12 apples", "12", "[invalid]", false, "12", true)]
    [InlineData("no numbers here", "3", "[invalid]", false, "[invalid]", false)]
    [InlineData("#### 8\nQuestion: next 9", "8", "8", true, "9", false)]
    [InlineData("#### 3 and then #### 4", "4", "3", false, "4", true)]
    [InlineData("#### 3 and then #### 4", "3", "3", true, "4", false)]
    public void Filters_and_exact_match_score_as_lm_eval(string response, string reference, string strict, bool strictRight, string flexible, bool flexibleRight)
    {
        Assert.Equal((strict, strictRight), (LmEvalGsm8k.StrictMatch(response), LmEvalGsm8k.StrictCorrect(response, reference)));
        Assert.Equal((flexible, flexibleRight), (LmEvalGsm8k.FlexibleExtract(response), LmEvalGsm8k.FlexibleCorrect(response, reference)));
    }

    [Theory]
    [InlineData("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72", "72")]
    [InlineData("#### $1,000.", "1000")]
    [InlineData("a #### b #### -3", "-3")]
    [InlineData("[INVALID]", "[invalid]")]
    [InlineData("72.\n", "72\n")]
    public void References_and_answers_lose_commas_dollars_the_worked_solution_and_a_final_dot(string text, string normalized) =>
        Assert.Equal(normalized, LmEvalGsm8k.Normalize(text));
}
