using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Tests.Regression;

namespace LoraPar.Pipeline.Tests.Stages.Sources;

/// <summary>
/// The stale-cache guard: a stage's cache key carries its <c>Version</c>, not its code, so a behaviour change in the code a
/// stage runs must come with a version bump — otherwise users keep artifacts computed by the old code. These tests pin a
/// digest of the sources each registered stage can reach (<see cref="SourceGraph"/>) in <c>stage-sources.pin</c> and fail
/// when a digest moves while the version stays. <c>LORAPAR_REPIN=1</c> rewrites the pin file instead of checking it.
/// </summary>
public sealed class StageSourcesTests
{
    private static readonly string PinFile = Path.Combine(CiRun.RepositoryRoot(), "tests", "LoraPar.Pipeline.Tests", "Stages", "Sources", "stage-sources.pin");

    [Fact]
    public void Every_stage_version_moves_with_the_code_it_runs()
    {
        var registry = PipelineStages.CreateDefault();
        var current = StageSourcePin.Compute(SourceGraph.Load(CiRun.RepositoryRoot()), Identities(registry));
        if (Environment.GetEnvironmentVariable(StageSourceCheck.RepinVariable) == "1")
        {
            File.WriteAllText(PinFile, current.Format(registry.Stages.Select(s => s.Kind)));
            return;
        }
        Assert.True(File.Exists(PinFile), $"{PinFile} is missing: pin with {StageSourceCheck.RepinCommand}");
        var problems = StageSourceCheck.Problems(StageSourcePin.Parse(File.ReadAllText(PinFile)), current, TypeNames(registry));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_registered_stage_has_a_source_set_holding_its_own_file()
    {
        var graph = SourceGraph.Load(CiRun.RepositoryRoot());
        var registry = PipelineStages.CreateDefault();
        var pin = StageSourcePin.Compute(graph, Identities(registry));
        foreach (var stage in registry.Stages)
        {
            var own = graph.Declaring(stage.GetType().Name);
            Assert.True(own.Count > 0, $"stage '{stage.Kind}': no file under src/ outside the engine declares {stage.GetType().Name}");
            Assert.Subset(pin.Stages[stage.Kind].Files.ToHashSet(), own.ToHashSet());
        }
        Assert.Contains("src/LoraPar.Training/Grpo/Rollout.cs", pin.Stages[StageKinds.Rl].Files);
        Assert.Contains("src/LoraPar.Method/Importance/ImportanceScorer.cs", pin.Stages[StageKinds.Scores].Files);
        Assert.DoesNotContain("src/LoraPar.Training/Grpo/Rollout.cs", pin.Stages[StageKinds.Data].Files);
    }

    [Fact]
    public void A_stage_without_a_source_set_or_a_pin_is_reported()
    {
        var graph = SourceGraph.Load(CiRun.RepositoryRoot());
        (string, int, string)[] stages = [("ghost", 1, "NoSuchStageType"), ("masks", 1, "MasksStage")];
        var problems = StageSourceCheck.Problems(StageSourcePin.Parse(""), StageSourcePin.Compute(graph, stages),
            new Dictionary<string, string> { ["ghost"] = "NoSuchStageType", ["masks"] = "MasksStage" });
        Assert.Contains(problems, p => p.StartsWith("stage 'ghost' has no source set", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("stage 'masks' is not pinned", StringComparison.Ordinal));
    }

    [Fact]
    public void The_guard_fails_on_a_deliberate_unbumped_change_and_asks_to_repin_after_a_bump()
    {
        using var copy = new SourceCopy(CiRun.RepositoryRoot());
        var registry = PipelineStages.CreateDefault();
        var before = StageSourcePin.Compute(SourceGraph.Load(copy.Root), Identities(registry));
        var pinned = StageSourcePin.Parse(before.Format(registry.Stages.Select(s => s.Kind)));
        Assert.Empty(StageSourceCheck.Problems(pinned, before, TypeNames(registry)));

        copy.Edit("src/LoraPar.Training/Grpo/Rollout.cs", text => text.Replace("model.eval();", "model.eval(); // sampling changed"));
        var after = StageSourcePin.Compute(SourceGraph.Load(copy.Root), Identities(registry));
        var problems = StageSourceCheck.Problems(pinned, after, TypeNames(registry));
        var rl = Assert.Single(problems, p => p.StartsWith("stage 'rl' ", StringComparison.Ordinal));
        var version = registry.Stages.Single(s => s.Kind == StageKinds.Rl).Version;
        Assert.Equal($"stage 'rl' code changed (files src/LoraPar.Training/Grpo/Rollout.cs) but its Version is still {version}: bump RlStage.Version and " +
            $"re-pin with {StageSourceCheck.RepinCommand} (re-pin without a bump only when the change cannot alter what the stage computes).", rl);
        Assert.DoesNotContain(problems, p => p.StartsWith("stage 'data' ", StringComparison.Ordinal));

        var bumped = StageSourcePin.Compute(SourceGraph.Load(copy.Root),
            Identities(registry).Select(s => s.Kind == StageKinds.Rl ? s with { Version = s.Version + 1 } : s));
        Assert.Contains($"stage 'rl' Version changed {version} → {version + 1}: re-pin with {StageSourceCheck.RepinCommand}",
            StageSourceCheck.Problems(pinned, bumped, TypeNames(registry)));
    }

    private static IEnumerable<(string Kind, int Version, string TypeName)> Identities(StageRegistry registry) =>
        registry.Stages.Select(s => (s.Kind, s.Version, s.GetType().Name));

    private static Dictionary<string, string> TypeNames(StageRegistry registry) =>
        registry.Stages.ToDictionary(s => s.Kind, s => s.GetType().Name);

    /// <summary>A temporary copy of the repository's <c>src/*.cs</c> files, to edit without touching the checkout.</summary>
    private sealed class SourceCopy : IDisposable
    {
        public SourceCopy(string root)
        {
            Root = Directory.CreateTempSubdirectory("lorapar-sources-").FullName;
            foreach (var (path, text) in SourceGraph.Load(root).Contents)
            {
                var target = Path.Combine(Root, path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllText(target, text);
            }
        }

        public string Root { get; }

        public void Edit(string path, Func<string, string> change)
        {
            var file = Path.Combine(Root, path);
            var text = File.ReadAllText(file);
            var edited = change(text);
            Assert.NotEqual(text, edited);
            File.WriteAllText(file, edited);
        }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
