using LoraPar.Core;
using LoraPar.Pipeline.Manifest;

namespace LoraPar.Pipeline.Tests.Manifest;

public sealed class ManifestDiagnosticsTests
{
    [Fact]
    public void One_error_is_one_line()
    {
        var d = new ManifestDiagnostics();
        d.Error(new SourceLocation("m.toml", 2, 1), "lora.rank", "bad");
        Assert.Equal("m.toml:2:1 lora.rank: bad", Assert.Throws<BadInputException>(d.ThrowIfAny).Message);
    }

    [Fact]
    public void At_most_twenty_errors_are_shown_and_a_located_line_counts_the_rest()
    {
        var d = new ManifestDiagnostics();
        for (var line = 57; line >= 1; line--) d.Error(new SourceLocation("m.toml", line, 3), "", "invalid TOML: x");
        var lines = Assert.Throws<BadInputException>(d.ThrowIfAny).Message.Split('\n');
        Assert.Equal(ManifestDiagnostics.MaxShown + 1, lines.Length);
        Assert.Equal("m.toml:1:3: invalid TOML: x", lines[0]);
        Assert.Equal("m.toml:20:3: invalid TOML: x", lines[19]);
        Assert.Equal("m.toml:21:3: and 37 more errors", lines[20]);
    }

    [Fact]
    public void A_repeated_error_is_shown_once()
    {
        var d = new ManifestDiagnostics();
        d.Error(new SourceLocation("m.toml", 1, 1), "k", "bad");
        d.Error(new SourceLocation("m.toml", 1, 1), "k", "bad");
        Assert.Equal("m.toml:1:1 k: bad", Assert.Throws<BadInputException>(d.ThrowIfAny).Message);
    }

    [Fact]
    public void An_error_line_never_breaks_and_never_runs_to_megabytes()
    {
        var error = new ManifestError(new SourceLocation("m.toml", 1, 1), new string('k', 5000), "a\nb" + new string('m', 5000));
        var line = error.ToString();
        Assert.DoesNotContain('\n', line);
        Assert.True(line.Length < 600, $"{line.Length} characters");
    }
}
