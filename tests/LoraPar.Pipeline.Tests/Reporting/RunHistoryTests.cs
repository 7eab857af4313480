using System.Globalization;
using System.Text.RegularExpressions;
using LoraPar.Core;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages.Masks;
using LoraPar.Pipeline.Tests.Stages;
using LoraPar.Pipeline.Tests.Stages.Masks;

namespace LoraPar.Pipeline.Tests.Reporting;

public sealed partial class RunHistoryTests
{
    private const string Manifest = "name = \"m\"\n[lora]\nr = 2\n[partition]\ntheta = {0}\n";

    public RunHistoryTests() => TorchRuntime.EnsureInitialized();

    private static (StageHarness Harness, PipelineService Service, StringWriter Console) Setup(double theta)
    {
        var h = new StageHarness(string.Format(CultureInfo.InvariantCulture, Manifest, theta), new SyntheticScoresStage(), new MasksStage());
        var console = new StringWriter();
        return (h, new PipelineService(h.Registry, new PipelineConsole(console, Interactive: false), h.Ws.Root), console);
    }

    private static string SavedId(StringWriter console) => SavedLine().Matches(console.ToString())[^1].Groups[1].Value;

    [Fact]
    public void An_earlier_run_of_the_same_manifest_is_named_by_id_prefix_previous_log_or_results_path()
    {
        var (h, service, console) = Setup(0.8);
        using var _ = h;
        var manifest = h.Ws.PathOf("m.toml");
        service.Run(new RunRequest(manifest), CancellationToken.None);
        var first = SavedId(console);
        var before = RunResultsReader.Read(h.Plan(), h.Store).Single().Metrics;
        h.Edit(string.Format(CultureInfo.InvariantCulture, Manifest, 0.5));   // a settings change between two runs of m.toml
        service.Run(new RunRequest(manifest), CancellationToken.None);
        var second = SavedId(console);
        Assert.NotEqual(first, second);
        var after = RunResultsReader.Read(h.Plan(), h.Store).Single().Metrics;
        Assert.NotEqual(before["active_percent"], after["active_percent"]);

        service.Run(new RunRequest(manifest), CancellationToken.None);   // a no-op re-run saves nothing new
        Assert.Contains($"results unchanged since run {second}", console.ToString());

        var history = new RunHistory(h.Store.RunsDirectory, "m");
        Assert.Equal([first, second], history.Ids());
        var expectedRow = $"| active_percent | {MarkdownTable.Number(after["active_percent"])} | {MarkdownTable.Number(before["active_percent"])} | "
            + $"{MarkdownTable.Delta(after["active_percent"], before["active_percent"])} |";
        var log = Directory.GetFiles(Path.Combine(h.Store.RunsDirectory, "m", "logs")).Order(StringComparer.Ordinal).First();
        foreach (var reference in new[] { first, RunHistory.Previous, Path.Combine(history.Folder, first + ".json"), log })
        {
            var text = service.Compare(new CompareRequest(manifest, Against: reference));
            Assert.StartsWith($"m now beside run {first} of m (lorapar ", text);
            Assert.Contains("### run default", text);
            Assert.Contains(expectedRow, Regex.Replace(text, " +", " "));
        }
        var latest = service.Compare(new CompareRequest(manifest, Against: second));
        Assert.Contains($"| active_percent | {MarkdownTable.Number(after["active_percent"])} | {MarkdownTable.Number(after["active_percent"])} | 0.00 |",
            Regex.Replace(latest, " +", " "));
    }

    [Fact]
    public void An_unknown_or_ambiguous_run_is_bad_input_that_lists_the_saved_runs()
    {
        var (h, service, _) = Setup(0.8);
        using var _ = h;
        var manifest = h.Ws.PathOf("m.toml");
        var none = Assert.Throws<BadInputException>(() => service.Compare(new CompareRequest(manifest, Against: "20990101")));
        Assert.Contains("--against 20990101: no saved run has this id. No run of 'm' is saved yet", none.Message);
        Assert.Throws<BadInputException>(() => service.Compare(new CompareRequest(manifest, Against: RunHistory.Previous)));
        var history = new RunHistory(h.Store.RunsDirectory, "m");
        var results = new SavedResults("20260101-120000-7", "m", "test", DateTimeOffset.UnixEpoch,
            [new RecordedRun("default", new Dictionary<string, string>(), new Dictionary<string, double> { ["x"] = 1 })]);
        Assert.Equal("20260101-120000-7", history.Save(results));
        Assert.Null(history.Save(results with { RunId = "20260101-120001-7" }));   // same results: not saved again
        var changed = results with { Runs = [results.Runs[0] with { Metrics = new Dictionary<string, double> { ["x"] = 2 } }] };
        Assert.Equal("20260101-120000-7-2", history.Save(changed));   // same id twice within a second: a suffix keeps both
        var ambiguous = Assert.Throws<BadInputException>(() => history.Find("20260101-12", h.Ws.Root));
        Assert.Contains("2 saved runs start with it; give more of the id", ambiguous.Message);
        Assert.Contains("20260101-120000-7, 20260101-120000-7-2", ambiguous.Message);
        Assert.Equal(1, history.Find("20260101-120000-7", h.Ws.Root).Runs[0].Metrics["x"]);
        Assert.Equal(1, history.Find(RunHistory.Previous, h.Ws.Root).Runs[0].Metrics["x"]);
        Assert.Equal(2, history.Find("20260101-120000-7-", h.Ws.Root).Runs[0].Metrics["x"]);   // a unique prefix
        var bad = Assert.Throws<BadInputException>(() => RunHistory.Load(h.Ws.Write("x.json", "[1, 2]")));
        Assert.Contains("x.json: not a saved results file", bad.Message);
    }

    [Fact]
    public void Check_cannot_be_combined_with_against()
    {
        var (h, service, _) = Setup(0.8);
        using var _ = h;
        var e = Assert.Throws<BadInputException>(() => service.Compare(new CompareRequest(h.Ws.PathOf("m.toml"), Against: "previous", Check: true)));
        Assert.Contains("cannot be combined with --against", e.Message);
    }

    [GeneratedRegex(@"results saved as run (\S+) ")]
    private static partial Regex SavedLine();
}
