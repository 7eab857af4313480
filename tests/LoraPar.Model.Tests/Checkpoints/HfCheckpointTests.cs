using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Llama;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Tests.Checkpoints;

public sealed class HfCheckpointTests : TorchTest, IDisposable
{
    private static readonly LlamaConfig Config = TinyModelFactory.Config(vocabSize: 40, hidden: 32, heads: 4, kvHeads: 2);
    private readonly string _dir = Directory.CreateTempSubdirectory("lorapar-ckpt-").FullName;

    /// <summary>Same dtype, shape and bytes.</summary>
    private static bool BitEqual(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.contiguous().bytes.SequenceEqual(b.contiguous().bytes);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Sub(string name) => Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;

    private static void AssertSameTensors(LlamaForCausalLM a, LlamaForCausalLM b)
    {
        var left = a.CheckpointTensors();
        var right = b.CheckpointTensors();
        Assert.Equal(left.Keys.Order(), right.Keys.Order());
        foreach (var (key, t) in left)
        {
            Assert.Equal(t.dtype, right[key].dtype);
            Assert.True(BitEqual(t, right[key]), key);
        }
    }

    [Theory]
    [InlineData(ScalarType.Float32, false)]
    [InlineData(ScalarType.BFloat16, true)]
    [InlineData(ScalarType.Float16, false)]
    public void Save_then_load_is_bit_identical_and_resaving_gives_the_same_bytes(ScalarType dtype, bool tied)
    {
        using var model = TinyModelFactory.Create(Config with { TieWordEmbeddings = tied }, seed: 7, dtype: dtype);
        var first = Sub("first");
        HfCheckpoint.Save(model, first);
        using var loaded = HfCheckpoint.Load(first);
        Assert.Equal(dtype, loaded.DType);
        AssertSameTensors(model, loaded);
        var second = Sub("second");
        HfCheckpoint.Save(loaded, second);
        foreach (var file in new[] { "config.json", "model.safetensors", "generation_config.json" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
        Assert.Empty(Directory.GetFiles(first, "*.tmp"));
    }

    [Fact]
    public void A_missing_key_is_named_in_the_error()
    {
        using var model = TinyModelFactory.Create(Config, seed: 8);
        var dir = Sub("missing");
        Config.Save(Path.Combine(dir, "config.json"));
        var tensors = model.CheckpointTensors();
        tensors.Remove("model.layers.1.mlp.up_proj.weight");
        tensors["model.layers.9.extra.weight"] = torch.zeros(2);
        using (var s = File.Create(Path.Combine(dir, "model.safetensors"))) SafetensorsFile.Write(s, tensors);
        var e = Assert.Throws<BadInputException>(() => HfCheckpoint.Load(dir));
        Assert.Contains("missing keys (1): model.layers.1.mlp.up_proj.weight", e.Message);
        Assert.Contains("unexpected keys (1): model.layers.9.extra.weight", e.Message);
    }

    [Fact]
    public void A_tensor_of_the_wrong_shape_is_named_with_both_shapes()
    {
        using var small = TinyModelFactory.Create(Config, seed: 9);
        var dir = Sub("shape");
        HfCheckpoint.Save(small, dir);
        (Config with { VocabSize = 41 }).Save(Path.Combine(dir, "config.json"));
        var e = Assert.Throws<BadInputException>(() => HfCheckpoint.Load(dir));
        Assert.Contains("'lm_head.weight' has shape [40, 32] but the model expects [41, 32]", e.Message);
    }

    [Fact]
    public void A_save_above_the_shard_size_writes_shards_and_an_index_that_load_back_bit_identical()
    {
        using var model = TinyModelFactory.Create(Config, seed: 14);
        var dir = Sub("save-sharded");
        HfCheckpoint.Save(model, dir);                                   // first a single file, to be replaced
        var tensors = model.CheckpointTensors();
        var total = tensors.Values.Sum(t => t.numel() * 4);
        HfCheckpoint.Save(model, dir, maxShardBytes: total / 3);
        var shards = Directory.GetFiles(dir, "model-*-of-*.safetensors").Select(Path.GetFileName).Order().ToList();
        Assert.InRange(shards.Count, 3, 5);
        Assert.Equal($"model-00001-of-{shards.Count:D5}.safetensors", shards[0]);
        Assert.False(File.Exists(Path.Combine(dir, "model.safetensors")));
        using (var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "model.safetensors.index.json"))))
        {
            Assert.Equal(total, index.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
            var map = index.RootElement.GetProperty("weight_map").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
            Assert.Equal(tensors.Keys.Order(), map.Keys.Order());
            Assert.Equal(shards, map.Values.Distinct().Order().ToList());
        }
        using (var loaded = HfCheckpoint.Load(dir)) AssertSameTensors(model, loaded);
        HfCheckpoint.Save(model, dir);                                   // back to one file: shards and index go
        Assert.Empty(Directory.GetFiles(dir, "model-*-of-*.safetensors"));
        Assert.False(File.Exists(Path.Combine(dir, "model.safetensors.index.json")));
        using (var again = HfCheckpoint.Load(dir)) AssertSameTensors(model, again);
    }

    [Fact]
    public void The_shard_plan_packs_in_name_order_and_gives_an_oversized_tensor_its_own_shard()
    {
        var plan = CheckpointShards.Plan(new Dictionary<string, long> { ["c"] = 4, ["a"] = 3, ["b"] = 3, ["d"] = 20, ["e"] = 1 }, 7);
        Assert.Equal([["a", "b"], ["c"], ["d"], ["e"]], plan.Select(s => s.ToArray()).ToArray());
        Assert.Single(CheckpointShards.Plan(new Dictionary<string, long> { ["a"] = 3, ["b"] = 4 }, 7));
    }

    [Fact]
    public void Sharded_checkpoints_load_through_their_index()
    {
        using var model = TinyModelFactory.Create(Config, seed: 10);
        var dir = Sub("sharded");
        Config.Save(Path.Combine(dir, "config.json"));
        var tensors = model.CheckpointTensors();
        var map = tensors.Keys.ToDictionary(k => k, k => k.Contains("layers.1") ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors");
        foreach (var shard in map.Values.Distinct())
            using (var s = File.Create(Path.Combine(dir, shard)))
                SafetensorsFile.Write(s, tensors.Where(t => map[t.Key] == shard).ToDictionary());
        File.WriteAllText(Path.Combine(dir, "model.safetensors.index.json"), JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = map }));
        using var loaded = HfCheckpoint.Load(dir);
        AssertSameTensors(model, loaded);
    }

    [Fact]
    public void A_bfloat16_checkpoint_loads_into_a_float32_model_by_conversion()
    {
        using var model = TinyModelFactory.Create(Config, seed: 11, dtype: ScalarType.BFloat16);
        var dir = Sub("convert");
        HfCheckpoint.Save(model, dir);
        using var wide = HfCheckpoint.Load(dir, dtype: ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, wide.DType);
        Assert.True(BitEqual(wide.model.norm.weight, model.model.norm.weight.to(ScalarType.Float32)));
        Assert.True(BitEqual(wide.lm_head.parameters().First(), model.lm_head.parameters().First().to(ScalarType.Float32)));
    }

    [Fact]
    public void Files_written_here_and_by_pybridge_read_the_same_both_ways()
    {
        using var model = TinyModelFactory.Create(Config, seed: 12);
        var ours = Path.Combine(_dir, "ours.safetensors");
        var theirs = Path.Combine(_dir, "theirs.safetensors");
        var tensors = model.CheckpointTensors();
        tensors["ids"] = torch.arange(5);
        using (var s = File.Create(ours)) SafetensorsFile.Write(s, tensors);
        // PyBridge writes contiguous tensors only; projection weights are stored transposed.
        TorchSharp.PyBridge.Safetensors.SaveStateDict(theirs, tensors.ToDictionary(t => t.Key, t => t.Value.contiguous()));
        var readByThem = TorchSharp.PyBridge.Safetensors.LoadStateDict(ours);
        var readByUs = SafetensorsFile.ReadAll(theirs);
        foreach (var (key, t) in tensors)
        {
            Assert.True(BitEqual(t, readByThem[key]), key);
            Assert.True(BitEqual(t, readByUs[key]), key);
        }
        Assert.Equal("pt", SafetensorsHeader.Read(ours).Metadata["format"]);
    }

    [Fact]
    public void A_truncated_file_is_reported_as_such()
    {
        using var model = TinyModelFactory.Create(Config, seed: 13);
        var dir = Sub("truncated");
        HfCheckpoint.Save(model, dir);
        var weights = Path.Combine(dir, "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length - 100)]);
        var e = Assert.Throws<BadInputException>(() => HfCheckpoint.Load(dir));
        Assert.Contains("truncated", e.Message);
    }
}
