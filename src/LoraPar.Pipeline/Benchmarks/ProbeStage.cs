using System.Text;
using LoraPar.Pipeline.Hashing;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Benchmarks;

/// <summary>
/// A cheap stand-in stage for benchmarks and tests of the engine: it declares what a real stage of its kind reads, and writes
/// <c>output.txt</c> (its settings, upstream outputs and input digests) in <see cref="Steps"/> steps, checking cancellation
/// between steps. It counts its executions.
/// </summary>
internal sealed class ProbeStage(string kind, IReadOnlyList<string> upstream, IReadOnlyList<string> reads,
    Func<PipelineManifest, IReadOnlyList<StageInputFile>>? inputs = null) : IStage
{
    private int _executions;

    public string Kind { get; } = kind;

    public int Version { get; init; } = 1;

    /// <summary>Steps per execution (each writes one part file).</summary>
    public int Steps { get; init; } = 1;

    /// <summary>Called before each step (tests use it to cancel or fail mid-write).</summary>
    public Action<StageContext, int>? BeforeStep { get; init; }

    /// <summary>How many times <see cref="Execute"/> ran to completion or failure.</summary>
    public int Executions => Volatile.Read(ref _executions);

    public StageDeclaration? Declare(PipelineManifest manifest) =>
        new(upstream, reads, inputs?.Invoke(manifest));

    public void Execute(StageContext context)
    {
        Interlocked.Increment(ref _executions);
        var text = new StringBuilder($"{Kind} {context.Key}\n");
        foreach (var up in upstream) text.Append(File.ReadAllText(Path.Combine(context.UpstreamDirectory(up), "output.txt")));
        using var task = context.Progress.Start(Kind, Steps);
        for (var step = 0; step < Steps; step++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            BeforeStep?.Invoke(context, step);
            File.WriteAllText(context.OutputPath($"parts/{step}.txt"), $"{Kind} step {step}\n");
            task.Advance();
        }
        foreach (var input in inputs?.Invoke(context.Manifest) ?? [])
            text.Append(input.Name).Append(' ').Append(ContentHash.OfFile(context.InputPath(input.Name))).Append('\n');
        File.WriteAllText(context.OutputPath("output.txt"), text.ToString());
    }

    /// <summary>The LoRA-PAR DAG of probes: data (hashing data.train) → labels → scores → masks → sft → rl → eval → report.</summary>
    public static IReadOnlyList<ProbeStage> LoraParDag(int steps = 1) =>
    [
        new(StageKinds.Data, [], ["data", "seed"], m => m.Data.Train is { } t ? [new StageInputFile("train", t.Resolved)] : []) { Steps = steps },
        new(StageKinds.Labels, [StageKinds.Data], ["splitter", "seed"]) { Steps = steps },
        new(StageKinds.Scores, [StageKinds.Labels], ["lora", "importance", "model", "seed"]) { Steps = steps },
        new(StageKinds.Masks, [StageKinds.Scores], ["partition", "seed"]) { Steps = steps },
        new(StageKinds.Sft, [StageKinds.Masks], ["sft", "method", "seed"]) { Steps = steps },
        new(StageKinds.Rl, [StageKinds.Sft], ["rl", "seed"]) { Steps = steps },
        new(StageKinds.Eval, [StageKinds.Rl], ["eval"]) { Steps = steps },
        new(StageKinds.Report, [StageKinds.Eval], ["report"]) { Steps = steps },
    ];

    /// <summary>A registry of <paramref name="stages"/>.</summary>
    public static StageRegistry Registry(IEnumerable<IStage> stages)
    {
        var registry = new StageRegistry();
        foreach (var stage in stages) registry.Register(stage);
        return registry;
    }
}
