using LoraPar.Pipeline;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Labels;

namespace LoraPar.PaperMini.Tests;

/// <summary>One run of a twin after it ran: its manifest, metrics and the sizes of the labels' D1 and D2 it trained from.</summary>
public sealed record TwinRun(string Variant, PipelineManifest Manifest, IReadOnlyDictionary<string, double> Metrics, int D1, int D2,
    IReadOnlyDictionary<string, string> Folders)
{
    /// <summary>The metric <paramref name="name"/>, failing the test when the run did not report it.</summary>
    public double Metric(string name) =>
        Metrics.TryGetValue(name, out var v) ? v : throw new Xunit.Sdk.XunitException($"{Variant} reported no {name}: {string.Join(", ", Metrics.Keys)}");
}

/// <summary>What the twins' runs left in the shared artifacts folder, read through lorapar's own plan and results reader.</summary>
public static class TwinResults
{
    private static readonly PipelineService Service =
        new(PipelineStages.CreateDefault(), new PipelineConsole(TextWriter.Null, Interactive: false), Directory.GetCurrentDirectory());

    /// <summary>Every run (sweep variant) of the wrapper manifest <paramref name="wrapper"/>.</summary>
    public static IReadOnlyList<TwinRun> Runs(string wrapper)
    {
        var manifest = Service.Load(wrapper).Manifest;
        var store = new ArtifactStore(manifest.Artifacts);
        var plan = Service.Plan(manifest, store);
        return RunResultsReader.Read(plan, store).Select(r =>
        {
            var folders = plan.NodesOf(r.Variant.Name).ToDictionary(n => n.Kind, n => store.DirectoryOf(n.Kind, n.Key));
            int Lines(string file) => File.ReadLines(Path.Combine(folders[StageKinds.Labels], file)).Count(l => l.Length > 0);
            return new TwinRun(r.Variant.Name, r.Variant.Manifest, r.Metrics, Lines(LabelsStage.System1File), Lines(LabelsStage.System2File), folders);
        }).ToList();
    }

    /// <summary>The cells of <paramref name="table"/> in the paper's baselines, with ours from <paramref name="wrappers"/>' runs.</summary>
    public static IReadOnlyList<ComparisonCell> Cells(string table, IEnumerable<string> wrappers)
    {
        var runs = wrappers.SelectMany(w =>
        {
            var manifest = Service.Load(w).Manifest;
            var store = new ArtifactStore(manifest.Artifacts);
            return RunResultsReader.Read(Service.Plan(manifest, store), store);
        }).ToList();
        return Comparison.Build(BaselineFile.Load(Twins.Baseline), [table], runs);
    }

    /// <summary>
    /// Whether a cell needs a result of ours: every cell with a paper value does, and every cell of a trained row; only the base
    /// model's rows (<c>point = "base"</c>) have cells that belong to no eval point and are blank in the paper (e.g. %Param).
    /// </summary>
    public static bool NeedsOurs(ComparisonCell cell) =>
        cell.Paper is not null || !(cell.Row.StartsWith("0 (Base", StringComparison.Ordinal) || cell.Row == "LLaMa2 7B");

    /// <summary>Runs <c>lorapar compare</c> on a wrapper against the paper's baselines; returns how many of the table's cells it filled.</summary>
    public static int CompareFilled(string wrapper)
    {
        var (code, stdout, stderr) = PaperMiniKit.Cli("compare", wrapper, "--baseline", Twins.Baseline);
        Assert.True(code == 0, stderr);
        var line = stdout.Split('\n').Single(l => l.Contains(" cells have a result of ours.", StringComparison.Ordinal));
        return int.Parse(line.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
