using System.Text.Json.Nodes;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Tests.Regression;

namespace LoraPar.Pipeline.Tests.Stages.Training;

/// <summary>
/// SFT and GRPO interrupted right after a checkpoint — mid-stage, and after the final one, before the commit — resume and
/// commit an artifact (adapter, metrics, training log) byte-identical to an uninterrupted run's, timing fields aside.
/// The interruption is a cancellation thrown from the run log's checkpoint line, as Ctrl-C arriving at that moment would.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private const string Manifest = """
        extends = "ci.toml"
        name = "resume"
        [model.tiny]
        pretrain_steps = 8
        [eval]
        max_new_tokens = 8
        """;

    private const string Checkpointed = "\n[sft]\ncheckpoint_every = 1\n[rl]\ncheckpoint_every = 1\n";

    private static readonly string[] TimingFields = ["tokens_per_s", "completions_per_s"];

    private readonly List<Workspace> _workspaces = [];

    public ResumeTests() => TorchRuntime.EnsureInitialized();

    public void Dispose()
    {
        foreach (var ws in _workspaces) ws.Dispose();
    }

    [Fact]
    public void Training_stages_interrupted_after_any_checkpoint_including_the_last_commit_what_an_uninterrupted_run_does()
    {
        var plain = Workspace(Manifest);
        var lines = new List<string>();
        Run(plain, lines.Add);
        var sft = Assert.Single(Checkpoints(lines, "sft"));         // without checkpoint_every: the final checkpoint only
        var rl = Assert.Single(Checkpoints(lines, "grpo"));
        Assert.True(sft >= 4 && rl >= 3, $"sft {sft} steps, grpo {rl} steps");
        var resumed = Workspace(Manifest + Checkpointed);
        foreach (var stop in new[] { $"sft: checkpoint at step {sft / 2}:", $"sft: checkpoint at step {sft}:", "grpo: checkpoint at step 1:",
                     $"grpo: checkpoint at step {rl}:" })
        {
            var e = Assert.Throws<StageInterruptedException>(() => Run(resumed, line => { if (line.StartsWith(stop, StringComparison.Ordinal)) throw new OperationCanceledException(); }));
            Assert.Contains("stopped", e.Message);
        }
        var log = new List<string>();
        Run(resumed, log.Add);
        Assert.Contains(log, l => l.StartsWith($"grpo: resumed at step {rl} ", StringComparison.Ordinal));
        foreach (var kind in new[] { "sft", "rl" }) AssertSameArtifact(plain, resumed, kind);
    }

    /// <summary>The steps of the checkpoints <paramref name="stage"/> logged, in order.</summary>
    private static List<int> Checkpoints(IEnumerable<string> lines, string stage)
    {
        var prefix = $"{stage}: checkpoint at step ";
        return lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => int.Parse(l[prefix.Length..l.IndexOf(':', prefix.Length)], System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    private static void AssertSameArtifact(Workspace expected, Workspace actual, string kind)
    {
        var (a, b) = (Artifact(expected, kind), Artifact(actual, kind));
        var files = Directory.GetFiles(a, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a, f))
            .Where(f => f != ArtifactStore.RecordFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, Directory.GetFiles(b, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(b, f))
            .Where(f => f != ArtifactStore.RecordFileName).Order(StringComparer.Ordinal).ToList());
        Assert.Contains("training_log.jsonl", files);
        foreach (var file in files)
        {
            var (x, y) = (Path.Combine(a, file), Path.Combine(b, file));
            if (file.EndsWith(".jsonl", StringComparison.Ordinal)) Assert.Equal(WithoutTiming(x), WithoutTiming(y));
            else Assert.True(File.ReadAllBytes(x).AsSpan().SequenceEqual(File.ReadAllBytes(y)), $"{kind}/{file} differs after the resume");
        }
    }

    /// <summary>The training log's lines without its timing fields (tokens/s, completions/s).</summary>
    private static List<string> WithoutTiming(string path) => File.ReadAllLines(path).Select(line =>
    {
        var node = JsonNode.Parse(line)!.AsObject();
        node.Remove(TimingFields[0]);
        node["extra"]?.AsObject().Remove(TimingFields[1]);
        return node.ToJsonString();
    }).ToList();

    private static string Artifact(Workspace ws, string kind)
    {
        var store = new ArtifactStore(ws.PathOf("artifacts"));
        var node = Plan(ws, store).Find("default", kind)!;
        Assert.True(store.Check(kind, node.Key).IsComplete, $"{kind} is not complete");
        return store.DirectoryOf(kind, node.Key);
    }

    private Workspace Workspace(string manifest)
    {
        var ws = new Workspace();
        _workspaces.Add(ws);
        ws.Write(Path.Combine("experiments", "ci.toml"), File.ReadAllText(Path.Combine(CiRun.RepositoryRoot(), "experiments", "ci.toml")));
        ws.Write(Path.Combine("experiments", "resume.toml"), manifest);
        return ws;
    }

    private static PipelinePlan Plan(Workspace ws, ArtifactStore store) =>
        PipelinePlan.Build(ws.Load(Path.Combine("experiments", "resume.toml")).Manifest, PipelineStages.CreateDefault(), store.Hashes);

    private static void Run(Workspace ws, Action<string> log)
    {
        var store = new ArtifactStore(ws.PathOf("artifacts"));
        PipelineRunner.Run(Plan(ws, store), store, new RunSelection(), new ExecutionEnvironment(Pipeline.Progress.NullProgressReporter.Instance, log, CancellationToken.None));
    }
}
