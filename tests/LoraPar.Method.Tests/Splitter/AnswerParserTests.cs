using LoraPar.Method.Splitter;

namespace LoraPar.Method.Tests.Splitter;

public sealed class AnswerParserTests
{
    [Theory]
    [InlineData("System 1", Vote.System1)]
    [InlineData("System 2", Vote.System2)]
    [InlineData("system-2", Vote.System2)]
    [InlineData("SYSTEM_1", Vote.System1)]
    [InlineData("System1", Vote.System1)]
    [InlineData("**System 2**", Vote.System2)]
    [InlineData("`System 1`", Vote.System1)]
    [InlineData("\"System 2\".", Vote.System2)]
    [InlineData("I think System 1.", Vote.System1)]
    [InlineData("This needs several steps, so: System 2", Vote.System2)]
    [InlineData("1", Vote.System1)]
    [InlineData("2.", Vote.System2)]
    [InlineData("(2)", Vote.System2)]
    [InlineData("System two", Vote.System2)]
    [InlineData("<think>Is it System 1? No, it needs steps.</think>\nSystem 2", Vote.System2)]
    [InlineData("System 2. Unlike System 1 questions, it needs several calculations.", Vote.System2)]
    [InlineData("It is not System 1. Final answer: System 2", Vote.System2)]
    [InlineData("Answer: system 1 (System 2 would be overkill)", Vote.System1)]
    public void Reads_the_vote(string raw, Vote expected) => Assert.Equal(expected, AnswerParser.Parse(raw));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("I cannot tell.")]
    [InlineData("Either System 1 or System 2 could apply.")]
    [InlineData("3")]
    [InlineData("The system is complex")]
    [InlineData("<think>System 1 maybe")]
    public void Abstains_when_unclear(string? raw) => Assert.Equal(Vote.Abstain, AnswerParser.Parse(raw));
}
