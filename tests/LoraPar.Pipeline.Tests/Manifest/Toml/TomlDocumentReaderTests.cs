using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Tests.Manifest.Toml;

/// <summary>Whatever the bytes, reading gives a tree or located errors: never an exception.</summary>
public sealed class TomlDocumentReaderTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Theory]
    [InlineData(10_000)]
    [InlineData(NestingDepth.Max + 1)]
    public void Nesting_deeper_than_the_limit_is_an_error_at_the_bracket_that_goes_too_deep(int depth)
    {
        var diagnostics = new ManifestDiagnostics();
        var text = "ok = 1\ndeep = " + new string('[', depth) + new string(']', depth) + "\n";
        Assert.Null(TomlDocumentReader.Read(text, "m.toml", diagnostics));
        var error = Assert.Single(diagnostics.Errors);
        Assert.Equal($"m.toml:2:{8 + NestingDepth.Max}: invalid TOML: arrays and inline tables nested deeper than {NestingDepth.Max} levels", error.ToString());
    }

    [Fact]
    public void Nesting_within_the_limit_reaches_the_parser()
    {
        var diagnostics = new ManifestDiagnostics();
        var depth = NestingDepth.Max - 1;
        var tree = TomlDocumentReader.Read("a = " + new string('[', depth) + "1" + new string(']', depth), "m.toml", diagnostics);
        Assert.True(tree is not null || diagnostics.Errors.All(e => e.Location.Line == 1), string.Join('\n', diagnostics.Errors));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_an_error_at_the_first_bad_byte()
    {
        var path = _ws.PathOf("m.toml");
        File.WriteAllBytes(path, [.. "seed = 1\nname = \""u8, 0xFF, .. "\"\n"u8]);
        var diagnostics = new ManifestDiagnostics();
        Assert.Null(TomlDocumentReader.ReadFile(path, "m.toml", diagnostics));
        Assert.Equal("m.toml:2:9: invalid TOML: the file is not UTF-8 text", Assert.Single(diagnostics.Errors).ToString());
    }

    [Fact]
    public void A_byte_order_mark_is_allowed()
    {
        var path = _ws.PathOf("m.toml");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "seed = 1\n"u8]);
        Assert.NotNull(TomlDocumentReader.ReadFile(path, "m.toml", new ManifestDiagnostics()));
    }

    [Fact]
    public void A_file_larger_than_a_manifest_can_be_is_one_error_without_parsing()
    {
        var path = _ws.Write("m.toml", string.Concat(Enumerable.Repeat("x = 1\n", TomlDocumentReader.MaxBytes / 6 + 1)));
        var diagnostics = new ManifestDiagnostics();
        Assert.Null(TomlDocumentReader.ReadFile(path, "m.toml", diagnostics));
        Assert.Contains("is larger than 64 KiB", Assert.Single(diagnostics.Errors).ToString());
    }

    [Fact]
    public void A_folder_given_as_a_manifest_is_an_error()
    {
        var diagnostics = new ManifestDiagnostics();
        Assert.Null(TomlDocumentReader.ReadFile(_ws.Root, "dir", diagnostics));
        Assert.StartsWith("dir:1:1: expected a manifest file, found a folder", Assert.Single(diagnostics.Errors).ToString());
    }
}
