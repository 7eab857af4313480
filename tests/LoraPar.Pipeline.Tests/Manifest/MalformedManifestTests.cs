using LoraPar.Core;

namespace LoraPar.Pipeline.Tests.Manifest;

/// <summary>One malformed manifest per row, each with the exact <c>file:line:col key: message</c> it must produce.</summary>
public sealed class MalformedManifestTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    public static TheoryData<string, string, string> Cases => new()
    {
        { "wrong type", "[lora]\nr = \"8\"\n", "m.toml:2:1 lora.r: expected an integer, got string \"8\"" },
        { "wrong type in array", "[sweep]\ntheta = [0.5, \"x\"]\n", "m.toml:2:15 sweep.theta: expected a number in the array, got string \"x\"" },
        { "unknown key", "[partition]\ntheta = 0.9\nbeat = 1.0\n", "m.toml:3:1 partition.beat: unknown key; did you mean 'beta'?" },
        { "unknown section", "[lorra]\nr = 8\n", "m.toml:1:2 lorra: unknown section; did you mean 'lora'?" },
        { "unknown top-level key", "sed = 1\n", "m.toml:1:1 sed: unknown key; did you mean 'seed'?" },
        { "theta out of range", "[partition]\ntheta = 1.5\n", "m.toml:2:1 partition.theta: 1.5 is outside (0, 1]: θ is the share" },
        { "alpha out of range", "[partition]\nalpha = -0.1\n", "m.toml:2:1 partition.alpha: -0.1 is outside [0, 1]: α is the fraction" },
        { "rank out of range", "[lora]\nr = 0\n", "m.toml:2:1 lora.r: 0: the rank must be a positive integer" },
        { "bad enum", "[lora]\ninit = \"gausian-both\"\n",
            "m.toml:2:8 lora.init: unknown value 'gausian-both'; expected one of kaiming, gaussian-both, pissa, olora; did you mean 'gaussian-both'?" },
        { "bad enum in sweep", "[sweep]\nmodules = [\"qkv\", \"gdu\"]\n",
            "m.toml:2:1 sweep.modules: unknown value 'gdu' (not a LoRA target): use a preset (qkv, gud, qkvgud, o, all-linear)" },
        { "broken TOML", "[lora\nr = 8\n", "m.toml:1:6: invalid TOML: " },
        { "missing file", "[data]\ntrain = \"missing.jsonl\"\n", "m.toml:2:9 data.train: file not found: " },
        { "missing base", "extends = \"nowhere.toml\"\n", "m.toml:1:11 extends: file not found: " },
        { "section is not a table", "lora = 8\n", "m.toml:1:1 lora: expected a table, got integer 8" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_malformed_manifest_names_the_place_and_the_problem(string what, string toml, string expected)
    {
        _ws.Write("m.toml", toml);
        var error = Assert.Throws<BadInputException>(() => _ws.Load("m.toml"));
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{what}: expected '{expected}' in:\n{error.Message}");
        Assert.Equal(FailureKind.BadInput, error.Kind);
    }
}
