using LoraPar.Model.Checkpoints;
using LoraPar.Model.Llama;
using System.Text.Json;
using static TorchSharp.torch;

namespace LoraPar.Model.Tests.Checkpoints;

public sealed class RandomCheckpointTests : TorchTest, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lorapar-random-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_layout_of_llama_2_7b_counts_its_published_6_74_billion_parameters()
    {
        // meta-llama/Llama-2-7b-hf: 6,738,415,616 parameters (the model card's "7B"; transformers' num_parameters()).
        var config = new LlamaConfig { VocabSize = 32000, HiddenSize = 4096, IntermediateSize = 11008, NumHiddenLayers = 32, NumAttentionHeads = 32, NumKeyValueHeads = 32 };
        var tensors = RandomCheckpoint.Tensors(config);
        Assert.Equal(6_738_415_616L, tensors.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b)));
        Assert.Equal(2 + 32 * 9 + 1, tensors.Count);
        Assert.Contains(tensors, t => t.Key == "model.layers.31.mlp.down_proj.weight" && t.Shape.SequenceEqual(new long[] { 4096, 11008 }));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Keys_and_shapes_are_the_models_own(bool tied)
    {
        var config = TinyModelFactory.Config(vocabSize: 40, hidden: 32, heads: 4, kvHeads: 2) with { TieWordEmbeddings = tied };
        using var model = new LlamaForCausalLM(config);
        var expected = model.CheckpointTensors().ToDictionary(t => t.Key, t => t.Value.shape);
        var written = RandomCheckpoint.Tensors(config).ToDictionary(t => t.Key, t => t.Shape);
        Assert.Equal(expected.Keys.Order(), written.Keys.Order());
        foreach (var (key, shape) in expected) Assert.Equal(shape, written[key]);
    }

    [Fact]
    public void A_sharded_checkpoint_is_written_with_its_index_and_loads_strictly_in_bf16()
    {
        var config = TinyModelFactory.Config(vocabSize: 40, hidden: 32, heads: 4, kvHeads: 2, layers: 3);
        RandomCheckpoint.Write(_dir, config, ScalarType.BFloat16, seed: 3, maxShardBytes: 8_000);
        var shards = Directory.GetFiles(_dir, "model-*.safetensors").Select(Path.GetFileName).Order().ToList();
        Assert.True(shards.Count > 1);
        Assert.Equal(CheckpointShards.FileName(0, shards.Count), shards[0]);
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, CheckpointSources.IndexFile)));
        Assert.Equal(RandomCheckpoint.Tensors(config).Count, index.RootElement.GetProperty("weight_map").EnumerateObject().Count());
        Assert.Equal(config.ParameterCount() * 2, index.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());

        using var model = HfCheckpoint.Load(_dir);   // torch_dtype of the written config.json
        Assert.Equal(ScalarType.BFloat16, model.DType);
        var weights = model.CheckpointTensors();
        Assert.Equal(1.0, weights["model.norm.weight"].to(ScalarType.Float32).mean().item<float>(), 6);
        var q = weights["model.layers.2.self_attn.q_proj.weight"].to(ScalarType.Float32);
        Assert.InRange(q.std().item<float>(), 0.017, 0.023);   // N(0, 0.02²) over 1,024 draws
        Assert.InRange(Math.Abs(q.mean().item<float>()), 0, 0.003);
    }

    [Fact]
    public void Cancelling_stops_between_tensors()
    {
        var config = TinyModelFactory.Config(vocabSize: 40, hidden: 32, heads: 4, kvHeads: 2);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => RandomCheckpoint.Write(_dir, config, ScalarType.BFloat16, 1, cancel: cancel.Token));
        Assert.Empty(Directory.GetFiles(_dir, "*.safetensors"));
    }
}
