using CsCheck;
using LoraPar.Evaluation.Gsm8k;

namespace LoraPar.Evaluation.Tests.Gsm8k;

public sealed class AnswerExtractorTests
{
    [Theory]
    [InlineData("She has 3 + 4 = 7 apples.\n#### 7", "7")]
    [InlineData("#### 1,000", "1000")]
    [InlineData("#### $1,234.50", "1234.5")]
    [InlineData("#### -12", "-12")]
    [InlineData("#### 0.25.", "0.25")]
    [InlineData("#### 18.00", "18")]
    [InlineData("so the total is\n#### 72\n#### 99", "72")]
    [InlineData("<reasoning>\n5 * 2 = 10\n</reasoning>\n<answer>\n10\n</answer>", "10")]
    [InlineData("<answer> $2,500. </answer>", "2500")]
    [InlineData("<answer>-3.5</answer> later #### 4", "-3.5")]
    [InlineData("#### -$5", "-5")]
    [InlineData("#### $ 5", "5")]
    public void Strict_reads_the_marked_answer(string text, string expected) =>
        Assert.Equal(expected, AnswerExtractor.Extract(text, ExtractionMode.Strict));

    [Theory]
    [InlineData("The answer is 42.")]
    [InlineData("")]
    [InlineData("#### seven")]
    [InlineData("<answer>many</answer>")]
    [InlineData("#### - 5")]
    [InlineData("#### 1,0000")]
    [InlineData("<answer>12,34</answer>")]
    public void Strict_finds_nothing_without_a_marked_number(string text) =>
        Assert.Null(AnswerExtractor.Extract(text, ExtractionMode.Strict));

    [Theory]
    [InlineData("First 3, then 4, so the answer is 42.", "42")]
    [InlineData("It costs $1,250.", "1250")]
    [InlineData("The temperature fell to -5 degrees", "-5")]
    [InlineData("pages 3-5", "5")]
    [InlineData("0.5 of 12 is 6.0", "6")]
    [InlineData("about .75", "0.75")]
    [InlineData("1,000,000 grains", "1000000")]
    [InlineData("#### 7", "7")]
    [InlineData("- 12 apples", "12")]
    [InlineData("- 3 pears\n- 12 apples", "12")]
    [InlineData("10 - 5 = 5, and 10 - 5", "5")]
    [InlineData("It fell by -$5", "-5")]
    [InlineData("Lists like 3,4 end with 7", "7")]
    public void Flexible_reads_the_last_number(string text, string expected) =>
        Assert.Equal(expected, AnswerExtractor.Extract(text, ExtractionMode.Flexible));

    [Theory]
    [InlineData("no numbers here")]
    [InlineData("")]
    [InlineData("The total is 1,0000")]
    public void Flexible_finds_nothing_without_a_number(string text) =>
        Assert.Null(AnswerExtractor.Extract(text, ExtractionMode.Flexible));

    [Theory]
    [InlineData(" $1,234.50. ", "1234.5")]
    [InlineData("-0.0", "0")]
    [InlineData("007", "7")]
    [InlineData("12345678901234567890123456789012345", "12345678901234567890123456789012345")]
    [InlineData("1e5", null)]
    [InlineData("abc", null)]
    [InlineData("- 5", null)]
    [InlineData("1,0000", null)]
    [InlineData("1,00", null)]
    [InlineData("$ 5", "5")]
    [InlineData("-$1,000", "-1000")]
    public void Normalize_gives_a_canonical_number(string raw, string? expected) =>
        Assert.Equal(expected, AnswerExtractor.Normalize(raw));

    [Theory]
    [InlineData("72", "72", true)]
    [InlineData("72.0", "72", true)]
    [InlineData("$72.", "72", true)]
    [InlineData("1,000", "1000", true)]
    [InlineData("-4", "4", false)]
    [InlineData("0.5", ".5", true)]
    [InlineData(null, "3", false)]
    [InlineData("three", "3", false)]
    public void Answers_compare_as_numbers(string? predicted, string gold, bool equal) =>
        Assert.Equal(equal, NumericAnswer.Equal(predicted, gold));

    [Fact]
    public void Strict_and_flexible_read_a_final_marked_number_alike()
    {
        // Any number-like text after the last "####": both extractions read the same number or both read none.
        var digits = Gen.Int[0, 9999].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var written = Gen.Select(Any("", "-"), Any("", "$", "$ "), digits.Array[1, 4].Select(g => string.Join(",", g)),
            Gen.OneOf(Gen.Const(""), digits.Select(d => "." + d)), Any("", "."),
            (sign, dollar, integer, fraction, dot) => sign + dollar + integer + fraction + dot);
        written.Sample(number =>
        {
            var text = "She pays 3 * 4 = 12.\n#### " + number;
            Assert.Equal(AnswerExtractor.Extract(text, ExtractionMode.Strict), AnswerExtractor.Extract(text, ExtractionMode.Flexible));
        }, iter: 2000);
    }

    private static Gen<string> Any(params string[] texts) => Gen.Int[0, texts.Length - 1].Select(i => texts[i]);
}
