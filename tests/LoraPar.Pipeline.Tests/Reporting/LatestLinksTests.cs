using LoraPar.Pipeline.Reporting;

namespace LoraPar.Pipeline.Tests.Reporting;

public sealed class LatestLinksTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void A_single_run_links_its_outputs_directly_with_relative_links_and_a_new_run_replaces_them()
    {
        var report = _workspace.Write("artifacts/report/k1/report.md", "# r\n");
        var adapter = Path.GetDirectoryName(_workspace.Write("artifacts/sft/k2/adapter/adapter_config.json", "{}"))!;
        var runs = _workspace.PathOf("artifacts/runs/m");
        var latest = LatestLinks.Write(runs, [], [("default", [new RunOutput("report", "report.md", report), new RunOutput("adapter", "stage1-adapter", adapter)])]);

        Assert.Equal(Path.Combine(runs, "latest"), latest);
        Assert.Equal("# r\n", File.ReadAllText(Path.Combine(latest, "report.md")));
        Assert.True(File.Exists(Path.Combine(latest, "stage1-adapter", "adapter_config.json")));
        Assert.Equal(Path.Combine("..", "..", "..", "report", "k1", "report.md"), new FileInfo(Path.Combine(latest, "report.md")).LinkTarget);

        LatestLinks.Write(runs, [], [("default", [new RunOutput("report", "report.md", report)])]);
        Assert.False(Directory.Exists(Path.Combine(latest, "stage1-adapter")));
        Assert.Equal(["report.md"], Directory.EnumerateFileSystemEntries(latest).Select(Path.GetFileName));
    }

    [Fact]
    public void A_sweep_gets_one_folder_per_run_beside_the_manifest_wide_files()
    {
        var sweep = _workspace.Write("artifacts/runs/m/report.md", "sweep\n");
        var a = _workspace.Write("artifacts/report/a/report.md", "a\n");
        var b = _workspace.Write("artifacts/report/b/report.md", "b\n");
        var latest = LatestLinks.Write(_workspace.PathOf("artifacts/runs/m"), [new RunOutput("sweep report", "report.md", sweep)],
            [("selection=importance", [new RunOutput("report", "report.md", a)]), ("selection=random", [new RunOutput("report", "report.md", b)])]);
        Assert.Equal("sweep\n", File.ReadAllText(Path.Combine(latest, "report.md")));
        Assert.Equal("a\n", File.ReadAllText(Path.Combine(latest, "selection=importance", "report.md")));
        Assert.Equal("b\n", File.ReadAllText(Path.Combine(latest, "selection=random", "report.md")));
    }
}
