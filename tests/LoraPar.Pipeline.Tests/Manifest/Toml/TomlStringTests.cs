using LoraPar.Pipeline.Manifest.Toml;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace LoraPar.Pipeline.Tests.Manifest.Toml;

public sealed class TomlStringTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("\nRespond in the following format:\n<reasoning>\n...\n</reasoning>\n")]
    [InlineData("quote \" and backslash \\ and tab \t and cr \r")]
    [InlineData("control \u0001 \u001f \u007f and bell \b and feed \f")]
    [InlineData("non-ASCII: θ α β — «ü» 中文")]
    [InlineData("astral: 😀 𝔽")]
    [InlineData("")]
    public void A_quoted_string_reads_back_through_an_independent_toml_parser(string text)
    {
        var document = SyntaxParser.Parse("key = " + TomlString.Quote(text), "test.toml", validate: true);
        Assert.False(document.HasErrors, string.Join("; ", document.Diagnostics));
        Assert.Equal(text, Assert.IsType<StringValueSyntax>(document.KeyValues.GetChild(0)!.Value).Value);
    }

    [Fact]
    public void Astral_characters_are_written_as_themselves_not_as_surrogate_escapes() =>
        Assert.Equal("\"😀\"", TomlString.Quote("😀"));

    [Fact]
    public void Characters_json_escapes_for_html_stay_literal() =>
        Assert.Equal("\"<a href='x'>&</a>\"", TomlString.Quote("<a href='x'>&</a>"));
}
