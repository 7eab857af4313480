using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Progress;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Tests.Stages;

/// <summary>Wraps a real stage and counts how often it executes.</summary>
internal sealed class CountingStage(IStage inner) : IStage
{
    private int _executions;

    public int Executions => Volatile.Read(ref _executions);

    public string Kind => inner.Kind;

    public int Version => inner.Version;

    public StageDeclaration? Declare(PipelineManifest manifest) => inner.Declare(manifest);

    public void Execute(StageContext context)
    {
        Interlocked.Increment(ref _executions);
        inner.Execute(context);
    }
}

/// <summary>Records every progress task's description, units advanced and last status.</summary>
internal sealed class RecordingProgress : IProgressReporter
{
    public List<RecordedTask> Tasks { get; } = [];

    public IProgressTask Start(string description, long total, string unit = "steps")
    {
        var task = new RecordedTask(description, total);
        lock (Tasks) Tasks.Add(task);
        return task;
    }

    internal sealed class RecordedTask(string description, long total) : IProgressTask
    {
        public string Description { get; } = description;

        public long Total { get; } = total;

        public long Done { get; private set; }

        public List<string> Statuses { get; } = [];

        public void Advance(long units = 1) => Done += units;

        public void Status(string text) => Statuses.Add(text);

        public void Dispose() { }
    }
}

/// <summary>A workspace with a manifest <c>m.toml</c> and a registry of real stages, each counted.</summary>
internal sealed class StageHarness : IDisposable
{
    private readonly Dictionary<string, int> _seen = [];

    public StageHarness(string manifest, params IStage[] stages)
    {
        Stages = stages.Select(s => new CountingStage(s)).ToList();
        Registry = new StageRegistry();
        foreach (var stage in Stages) Registry.Register(stage);
        Edit(manifest);
    }

    public Workspace Ws { get; } = new();

    public IReadOnlyList<CountingStage> Stages { get; }

    public StageRegistry Registry { get; }

    public RecordingProgress Progress { get; private set; } = new();

    public ArtifactStore Store => new(Path.Combine(Ws.Root, "artifacts"));

    /// <summary>The environment the manifest's variables are read from (none set by default).</summary>
    public Func<string, string?> Environment { get; init; } = _ => null;

    public PipelineManifest Manifest => Ws.Load("m.toml", env: Environment).Manifest;

    public PipelinePlan Plan() => PipelinePlan.Build(Manifest, Registry, Store.Hashes);

    public void Edit(string manifest) => Ws.Write("m.toml", "artifacts = \"artifacts\"\n" + manifest);

    public RunSummary Run(CancellationToken cancel = default, string? onlyStage = null, IProgressReporter? progress = null,
        Action<string>? log = null)
    {
        Progress = new RecordingProgress();
        var store = Store;
        var plan = PipelinePlan.Build(Manifest, Registry, store.Hashes);
        return PipelineRunner.Run(plan, store, new RunSelection(OnlyStage: onlyStage),
            new ExecutionEnvironment(progress ?? Progress, log ?? (_ => { }), cancel));
    }

    /// <summary>The complete artifact folder of <paramref name="kind"/> in the default run.</summary>
    public string Artifact(string kind)
    {
        var node = Plan().Find("default", kind) ?? throw new InvalidOperationException($"no {kind} node");
        Assert.True(Store.Check(kind, node.Key).IsComplete, $"{kind} is not complete");
        return Store.DirectoryOf(kind, node.Key);
    }

    /// <summary>Stage kinds executed since the last call.</summary>
    public string[] Ran()
    {
        var ran = Stages.Where(s => s.Executions > _seen.GetValueOrDefault(s.Kind)).Select(s => s.Kind).ToArray();
        foreach (var s in Stages) _seen[s.Kind] = s.Executions;
        return ran;
    }

    public void Dispose() => Ws.Dispose();
}
