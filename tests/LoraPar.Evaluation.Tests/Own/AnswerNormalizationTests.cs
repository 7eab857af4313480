using LoraPar.Evaluation.Own;

namespace LoraPar.Evaluation.Tests.Own;

/// <summary>SQuAD v1.1's normalize_answer, worked by hand through its four steps (lower, punctuation, articles, whitespace).</summary>
public sealed class AnswerNormalizationTests
{
    [Theory]
    [InlineData("The Cat's hat!", "cats hat")]          // lower → "the cat's hat!" → "the cats hat" → " cats hat" → "cats hat"
    [InlineData("  an   Apple, a day ", "apple day")]   // articles are whole words only
    [InlineData("Theater", "theater")]                   // "the" inside a word stays
    [InlineData("A-ha", "aha")]                          // punctuation goes first, so "A-ha" is never the article "a"
    [InlineData("1,000.5", "10005")]                     // commas and points are punctuation to SQuAD
    [InlineData("", "")]
    [InlineData("the", "")]
    [InlineData("Paris\n\tFrance", "paris france")]
    public void Normalizes_as_squad_does(string text, string expected) =>
        Assert.Equal(expected, AnswerNormalization.Normalize(text));
}
