using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Tests.Manifest.Toml;

public sealed class NestingDepthTests
{
    private static readonly string Deep = new('[', NestingDepth.Max + 1);

    [Theory]
    [InlineData("a = \"{0}\"")]
    [InlineData("a = '{0}'")]
    [InlineData("# {0}")]
    [InlineData("a = \"\"\"\n{0}\n\"\"\"")]
    [InlineData("a = \"\\\"{0}\"")]
    public void Brackets_in_strings_and_comments_do_not_count(string template) =>
        Assert.Equal(-1, NestingDepth.FirstTooDeep(string.Format(template, Deep)));

    [Fact]
    public void Closed_brackets_do_not_add_up() =>
        Assert.Equal(-1, NestingDepth.FirstTooDeep(string.Concat(Enumerable.Repeat("[[a]]\nb = [[1], {c = [2]}]\n", 1000))));

    [Fact]
    public void The_first_bracket_past_the_limit_is_found() => Assert.Equal(4 + NestingDepth.Max, NestingDepth.FirstTooDeep("a = " + Deep));
}
