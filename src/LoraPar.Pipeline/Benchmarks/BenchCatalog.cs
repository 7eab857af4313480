using LoraPar.Adapters.Benchmarks;
using LoraPar.Core.Benchmarks;
using LoraPar.Evaluation.Benchmarks;
using LoraPar.Method.Benchmarks;
using LoraPar.Pipeline.Benchmarks;
using LoraPar.Model.Benchmarks;

namespace LoraPar.Pipeline.Benchmarks;

/// <summary>Every benchmark suite <c>lorapar bench</c> offers, one per issue that states figures.</summary>
public static class BenchCatalog
{
    /// <summary>The suites, in the order the pipeline runs their subjects.</summary>
    public static IReadOnlyList<IBenchSuite> All() =>
    [
        new ModelBenchSuite(),
        new PretrainBenchSuite(),
        new LoraBenchSuite(),
        new ImportanceBenchSuite(),
        new TrainingBenchSuite(),
        new EvalBenchSuite(() => TinyGenerator.Create()),
        new PipelineBenchSuite(),
        new ScaleBenchSuite(),
    ];
}
