using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Sweeps;

namespace LoraPar.Pipeline.Tests.Reporting;

public sealed class SweepTableTests
{
    private static RunResults Run(string selection, string targets, params (string Name, double Value)[] metrics) => new(
        new RunVariant($"theta=0.9,selection={selection},modules={targets}", new PipelineManifest(),
            [KeyValuePair.Create("partition.theta", "0.9"), KeyValuePair.Create("partition.selection", selection), KeyValuePair.Create("lora.targets", targets)]),
        metrics.ToDictionary(m => m.Name, m => m.Value));

    private static string[] Cells(string line) => line.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Only_varying_settings_and_metrics_are_columns_split_into_narrow_tables_and_equal_metrics_are_listed_once()
    {
        (string, double)[] Metrics(double x) =>
            [.. Enumerable.Range(1, 8).Select(i => ($"m{i}", x * i)), ("labels_kappa", 0.75), ("partial", 1.0)];
        var runs = new[]
        {
            Run("importance", "qkv", Metrics(1)), Run("random", "qkv", Metrics(2)),
            Run("full", "qkv", [.. Metrics(3).Where(m => m.Item1 != "partial")]),
        };
        var text = SweepTable.Render(runs);
        var headers = text.Split('\n').Where(l => l.StartsWith("| selection")).Select(Cells).ToList();
        Assert.Equal(2, headers.Count);   // 8 varying metrics + "partial" (absent in one run) = 9 → 6 + 3
        Assert.Equal(["selection", "m1", "m2", "m3", "m4", "m5", "m6"], headers[0]);
        Assert.Equal(["selection", "m7", "m8", "partial"], headers[1]);
        Assert.DoesNotContain("theta", text);     // swept, but 0.9 in every run
        Assert.DoesNotContain("targets", text);   // likewise
        Assert.Equal(["random", "2.00", "4.00", "6.00", "8.00", "10.00", "12.00"], Cells(text.Split('\n').First(l => l.StartsWith("| random"))));
        Assert.Equal(["full", "21.00", "24.00", "—"], Cells(text.Split('\n').Last(l => l.StartsWith("| full"))));
        Assert.Contains("Equal in all 3 runs:", text);
        Assert.Equal(["labels_kappa", "0.75"], Cells(text.Split('\n').Single(l => l.StartsWith("| labels_kappa"))));
        Assert.All(text.Split('\n'), l => Assert.True(l.Length <= 80, $"too wide: {l}"));
    }

    [Fact]
    public void Varied_settings_label_runs_and_disambiguate_headers_that_end_alike()
    {
        var a = new RunResults(new RunVariant("a", new PipelineManifest(), [KeyValuePair.Create("sft.epochs", "1"), KeyValuePair.Create("rl.epochs", "2")]), new Dictionary<string, double>());
        var b = new RunResults(new RunVariant("b", new PipelineManifest(), [KeyValuePair.Create("sft.epochs", "3"), KeyValuePair.Create("rl.epochs", "2")]), new Dictionary<string, double>());
        var c = new RunResults(new RunVariant("c", new PipelineManifest(), [KeyValuePair.Create("sft.epochs", "3"), KeyValuePair.Create("rl.epochs", "4")]), new Dictionary<string, double>());
        var settings = VariedSettings.Of([a, b, c]);
        Assert.Equal(["sft.epochs", "rl.epochs"], settings.Paths);
        Assert.Equal("sft.epochs=1, rl.epochs=2", settings.Label(a));
        var one = VariedSettings.Of([a, b]);
        Assert.Equal("epochs=3", one.Label(b));
        Assert.Equal("a", VariedSettings.Of([a]).Label(a));
    }
}
