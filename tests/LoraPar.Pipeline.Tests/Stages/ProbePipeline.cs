using LoraPar.Pipeline.Benchmarks;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Progress;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Tests.Stages;

/// <summary>A workspace with a manifest, a data file and the probe DAG; runs count executions per stage.</summary>
internal sealed class ProbePipeline : IDisposable
{
    public ProbePipeline(string manifestBody = "", IReadOnlyList<ProbeStage>? stages = null)
    {
        Ws.Write("data/train.jsonl", "{\"q\": 1}\n");
        Ws.Write("m.toml", manifestBody + "\n[data]\ntrain = \"data/train.jsonl\"\n");
        Stages = stages ?? ProbeStage.LoraParDag();
        Registry = ProbeStage.Registry(Stages);
    }

    public Workspace Ws { get; } = new();

    public IReadOnlyList<ProbeStage> Stages { get; }

    public StageRegistry Registry { get; }

    public ArtifactStore Store => new(Path.Combine(Ws.Root, "artifacts"));

    public PipelineManifest Manifest => Ws.Load("m.toml").Manifest;

    public PipelinePlan Plan() => PipelinePlan.Build(Manifest, Registry, Store.Hashes);

    public RunSummary Run(RunSelection? selection = null, CancellationToken cancel = default)
    {
        var store = Store;
        var plan = PipelinePlan.Build(Manifest, Registry, store.Hashes);
        return PipelineRunner.Run(plan, store, selection ?? new RunSelection(), new ExecutionEnvironment(NullProgressReporter.Instance, _ => { }, cancel));
    }

    /// <summary>Executions per stage kind since the last call.</summary>
    public Dictionary<string, int> Counts()
    {
        var counts = Stages.ToDictionary(s => s.Kind, s => s.Executions - _seen.GetValueOrDefault(s.Kind));
        foreach (var s in Stages) _seen[s.Kind] = s.Executions;
        return counts.Where(kv => kv.Value > 0).ToDictionary();
    }

    public string[] Ran() => Counts().Keys.ToArray();

    public void Edit(string body) => Ws.Write("m.toml", body + "\n[data]\ntrain = \"data/train.jsonl\"\n");

    public void Dispose() => Ws.Dispose();

    private readonly Dictionary<string, int> _seen = [];
}
