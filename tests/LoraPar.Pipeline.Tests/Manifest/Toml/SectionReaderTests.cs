using LoraPar.Core;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Tests.Manifest.Toml;

/// <summary>The generic reads: integers never wrap, numbers are finite, list rules hold.</summary>
public sealed class SectionReaderTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    public static TheoryData<string, string> Rejected => new()
    {
        { "[lora]\nr = 4294967297\n", "m.toml:2:1 lora.r: 4294967297 is too large for a 32-bit integer (at most 2147483647)" },
        { "[sft]\nbatch_size = 4294967304\n", "m.toml:2:1 sft.batch_size: 4294967304 is too large for a 32-bit integer" },
        { "[lora]\nr = -2147483649\n", "m.toml:2:1 lora.r: -2147483649 is too small for a 32-bit integer (at least -2147483648)" },
        { "[eval.humaneval]\nk = [1, 4294967297]\n", "m.toml:2:9 eval.humaneval.k: 4294967297 is too large for a 32-bit integer" },
        { "[eval]\ntemperature = inf\n", "m.toml:2:1 eval.temperature: inf is not a finite number; expected a value in [0, ∞)" },
        { "[rl]\nlearning_rate = -inf\n", "m.toml:2:1 rl.learning_rate: -inf is not a finite number" },
        { "[partition]\ntheta = nan\n", "m.toml:2:1 partition.theta: nan is not a finite number" },
        { "[sweep]\ntheta = [0.5, inf]\n", "m.toml:2:15 sweep.theta: inf is not a finite number" },
        { "[eval]\npoints = []\n", "m.toml:2:1 eval.points: the list is empty; give at least one of the strings" },
        { "[eval]\nbenchmarks = []\n", "m.toml:2:1 eval.benchmarks: the list is empty" },
        { "[eval]\npoints = [\"base\", \"stage1\", \"base\"]\n", "m.toml:2:29 eval.points: \"base\" is listed twice; list each value once" },
        { "[eval]\nbenchmarks = [\"synthetic\", \"Synthetic\"]\n", "m.toml:2:28 eval.benchmarks: \"Synthetic\" is listed twice" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void A_value_outside_its_type_or_rules_is_one_located_error(string toml, string expected)
    {
        _ws.Write("m.toml", toml);
        var message = Assert.Throws<BadInputException>(() => _ws.Load("m.toml")).Message;
        Assert.StartsWith(expected, message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void The_largest_values_that_fit_are_read_unchanged()
    {
        _ws.Write("m.toml", "seed = 9223372036854775807\n[rl]\ntop_k = 2147483647\n[eval]\ntemperature = 1e300\n");
        var m = _ws.Load("m.toml").Manifest;
        Assert.Equal((long.MaxValue, int.MaxValue, 1e300), (m.Seed, m.Rl.TopK, m.Eval.Temperature));
    }

    [Fact]
    public void List_rules_are_off_unless_asked_for()
    {
        var binding = new ManifestBinding(new ManifestDiagnostics(), new Dictionary<string, string>(), new SourceLocation("m.toml", 1, 1), _ => null);
        var table = TomlDocumentReader.Read("a = []\nb = [\"x\", \"x\"]\n", "m.toml", binding.Diagnostics)!;
        var r = new SectionReader(table, "", binding);
        Assert.Empty(r.StringList("a", ["default"]));
        Assert.Equal(["x", "x"], r.StringList("b", []));
        Assert.Empty(binding.Diagnostics.Errors);
        Assert.Equal(["x", "x"], r.StringList("b", [], ListRules.NonEmpty | ListRules.Distinct));
        Assert.Equal("m.toml:2:11 b: \"x\" is listed twice; list each value once", Assert.Single(binding.Diagnostics.Errors).ToString());
    }
}
