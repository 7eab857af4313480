using System.Diagnostics;
using LoraPar.Core.Benchmarks;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Progress;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Benchmarks;

/// <summary>
/// <c>lorapar bench pipeline</c>: <c>noop_run_seconds</c>, the time of a no-op run of a completed manifest (load and validate
/// the manifest, plan the Table 2 grid of 9 runs over the probe DAG, check every artifact's digests, run nothing). Goal &lt; 2 s.
/// </summary>
public sealed class PipelineBenchSuite : IBenchSuite
{
    /// <inheritdoc />
    public string Name => "pipeline";

    /// <inheritdoc />
    public string Description => "No-op run of a completed 9-run sweep over cheap stages (hash checks only).";

    /// <inheritdoc />
    public IReadOnlyList<BenchFigure> Run(BenchOptions options, Action<string> log, CancellationToken cancel)
    {
        var root = Path.Combine(Path.GetTempPath(), "lorapar-bench-pipeline", Guid.NewGuid().ToString("N"));
        try
        {
            var manifestPath = Setup(root);
            var registry = ProbeStage.Registry(ProbeStage.LoraParDag(steps: 4));
            var first = RunOnce(manifestPath, root, registry, cancel);
            log($"first run executed {first.Executed.Count} stages");
            var repetitions = options.Quick ? 3 : 10;
            var times = new List<double>();
            for (var i = 0; i < repetitions; i++)
            {
                var clock = Stopwatch.StartNew();
                var summary = RunOnce(manifestPath, root, registry, cancel);
                times.Add(clock.Elapsed.TotalSeconds);
                if (summary.Executed.Count > 0) throw new InvalidOperationException("a no-op run executed stages");
            }
            times.Sort();
            var median = times[times.Count / 2];
            log($"no-op run: median {median:0.000} s over {repetitions} runs ({first.Executed.Count + first.Reused.Count} stages checked)");
            return [new BenchFigure("noop_run_seconds", Math.Round(median, 3), "s", Better.Lower, Goal: 2)];
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    private static string Setup(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "data"));
        File.WriteAllText(Path.Combine(root, "data", "train.jsonl"), string.Concat(Enumerable.Range(0, 2000).Select(i => $"{{\"q\": {i}}}\n")));
        var manifest = Path.Combine(root, "bench.toml");
        File.WriteAllText(manifest, "name = \"bench\"\n[data]\ntrain = \"data/train.jsonl\"\n[sweep]\nalpha = [0.0, 0.5, 1.0]\nbeta = [0.0, 0.5, 1.0]\n");
        return manifest;
    }

    private static RunSummary RunOnce(string manifestPath, string root, StageRegistry registry, CancellationToken cancel)
    {
        var manifest = ManifestLoader.Load(manifestPath, new ManifestLoadOptions(root)).Manifest;
        var store = new ArtifactStore(manifest.Artifacts);
        var plan = PipelinePlan.Build(manifest, registry, store.Hashes);
        return PipelineRunner.Run(plan, store, new RunSelection(), new ExecutionEnvironment(NullProgressReporter.Instance, _ => { }, cancel));
    }
}
