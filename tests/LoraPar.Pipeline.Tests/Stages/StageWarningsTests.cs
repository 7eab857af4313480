using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Tests.Stages;

public sealed class StageWarningsTests
{
    /// <summary>A data stage that raises the warnings it is given.</summary>
    private sealed class WarningStage(params string[] warnings) : IStage
    {
        public string Kind => StageKinds.Data;

        public int Version => 1;

        public StageDeclaration? Declare(PipelineManifest manifest) => new([], ["seed"]);

        public void Execute(StageContext context)
        {
            File.WriteAllText(context.OutputPath("out.txt"), "x");
            StageWarnings.Write(context, Kind, warnings);
        }
    }

    [Fact]
    public void Warnings_are_kept_in_the_artifact_and_reported_again_for_a_cached_stage()
    {
        using var h = new StageHarness("seed = 1\n", new WarningStage("3 of 9 examples were dropped", "one mask is empty"));
        var log = new List<string>();
        h.Run(log: log.Add);
        Assert.Contains("warning: data: 3 of 9 examples were dropped", log);
        Assert.Equal(["data"], h.Ran());
        h.Run();
        Assert.Empty(h.Ran());
        var warnings = RunWarnings.Of(h.Plan(), h.Store);
        Assert.Equal([new StageWarning("data", "3 of 9 examples were dropped"), new StageWarning("data", "one mask is empty")], warnings);
        Assert.Equal("warnings that change results (2):\n  warning: data: 3 of 9 examples were dropped\n  warning: data: one mask is empty\n",
            RunWarnings.Console(warnings));
        Assert.Contains("- **data**: one mask is empty\n", RunWarnings.Markdown([h.Artifact("data")]));
    }

    [Fact]
    public void A_stage_without_warnings_writes_no_file_and_reports_nothing()
    {
        using var h = new StageHarness("seed = 1\n", new WarningStage());
        h.Run();
        Assert.False(File.Exists(Path.Combine(h.Artifact("data"), StageWarnings.FileName)));
        Assert.Equal("", RunWarnings.Console(RunWarnings.Of(h.Plan(), h.Store)));
        Assert.Equal("", RunWarnings.Markdown([h.Artifact("data")]));
    }
}
