using LoraPar.Core.Benchmarks;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Benchmarks;
using LoraPar.Pipeline.Tests.Regression;
using LoraPar.TestSupport;

namespace LoraPar.Pipeline.Tests.Benchmarks;

public sealed class ScaleBenchSuiteTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("lorapar-scale-test-").FullName;

    public ScaleBenchSuiteTests() => TorchRuntime.EnsureInitialized();

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    /// <summary>LLaMA-2's vocabulary (the tokenizer's) on a 2-layer, d = 64 decoder.</summary>
    private static readonly LlamaConfig Tiny = TinyModelFactory.Config(vocabSize: 32000, hidden: 64, layers: 2, heads: 4, kvHeads: 4, maxPositions: 512)
        with { PadTokenId = null };

    [SkippableFact]
    public void A_tiny_rehearsal_reports_a_memory_ratio_per_gpu_stage_and_removes_its_checkpoint()
    {
        var spm = SharedData.Require("models/llama2-tokenizer/tokenizer.model");
        var lines = new List<string>();
        var figures = new ScaleBenchSuite(Tiny, _temp).Run(new BenchOptions(Device: "cpu", Tokenizer: spm), lines.Add, default)
            .ToDictionary(f => f.Name);
        foreach (var stage in new[] { "scores", "sft", "rl", "eval" })
        {
            var ratio = figures[$"plan_memory_ratio_{stage}"];
            Assert.True(double.IsFinite(ratio.Value) && ratio.Value > 0, $"{stage}: {ratio.Value}");
            Assert.Equal(figures[$"measured_memory_{stage}"].Value / figures[$"predicted_memory_{stage}"].Value, ratio.Value, 6);
            Assert.True(figures[$"seconds_{stage}"].Value > 0);
        }
        Assert.Equal(24, figures["rehearsal_peak_rss_gib"].Goal);
        Assert.Contains(lines, l => l.Contains("2 layers, d 64"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp));
    }

    [SkippableFact]
    public void A_cancelled_rehearsal_removes_its_folder_too()
    {
        var spm = SharedData.Require("models/llama2-tokenizer/tokenizer.model");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new ScaleBenchSuite(Tiny, _temp).Run(new BenchOptions(Device: "cpu", Tokenizer: spm), _ => { }, cancel.Token));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp));
    }

    [Fact]
    public void The_built_in_shape_is_llama_2_7b_as_published()
    {
        var published = LlamaConfig.Load(Path.Combine(CiRun.RepositoryRoot(), "experiments", "paper", "llama-2-7b.config.json"));
        var ours = ScaleBenchSuite.Llama2_7B;
        Assert.Equal((published.VocabSize, published.HiddenSize, published.IntermediateSize, published.NumHiddenLayers, published.NumAttentionHeads,
            published.NumKeyValueHeads, published.RmsNormEps, published.RopeTheta, published.MaxPositionEmbeddings, published.TieWordEmbeddings),
            (ours.VocabSize, ours.HiddenSize, ours.IntermediateSize, ours.NumHiddenLayers, ours.NumAttentionHeads,
            ours.NumKeyValueHeads, ours.RmsNormEps, ours.RopeTheta, ours.MaxPositionEmbeddings, ours.TieWordEmbeddings));
        Assert.Equal(published.ParameterCount(), ours.ParameterCount());
    }
}
