using LoraPar.Adapters;
using LoraPar.Model.Llama;
using LoraPar.Pipeline.Planning;
using LoraPar.Pipeline.Tests.Regression;

namespace LoraPar.Pipeline.Tests.Planning;

/// <summary>The memory model's counts against values computed by hand (the arithmetic is in each test) and LLaMA-2-7B's published shape.</summary>
public sealed class ActivationModelTests
{
    private static LlamaConfig Llama2_7b() => LlamaConfig.Load(Path.Combine(CiRun.RepositoryRoot(), "experiments", "paper", "llama-2-7b.config.json"));

    [Fact]
    public void Llama_2_7b_has_its_published_parameter_count_lora_size_and_kv_cache()
    {
        var shape = new PlanShape(Llama2_7b(), WeightBytes: 2, AdapterBytes: 4, Rank: 8, LoraTargets.Qkvgud.ShortNames);
        // Published: 6.74e9 parameters (HF: 6,738,415,616 = 32 · 202,383,360 + 4,096 + 2 · 32,000 · 4,096).
        Assert.Equal(6_738_415_616, shape.Parameters);
        // 32 layers · r 8 · (3 · (4096 + 4096) + 2 · (4096 + 11008) + (11008 + 4096)) = 32 · 8 · 69,888.
        Assert.Equal(17_891_328, shape.LoraElements);
        // GRPO: 8 completions of 128 + 256 positions; 2 (k, v) · 32 layers · 4096 · 8 · 384 · 2 bytes.
        Assert.Equal(1_610_612_736, ActivationModel.KvCache(shape, 8, 384));
    }

    [Fact]
    public void Llama_2_7b_keeps_this_much_per_token_and_layer_in_bf16_with_float32_adapters()
    {
        var shape = new PlanShape(Llama2_7b(), 2, 4, 8, LoraTargets.Qkvgud.ShortNames);
        // Base, bf16: (2·4096 norms + 2·4096 + 2·4096 SDPA + 3·11008 MLP) · 2 = 57,600 · 2 = 115,200.
        // LoRA inputs, float32 copies: (5 · 4096 + 11008) · 4 = 125,952; rank activations 6 · 8 · 4 = 192.
        Assert.Equal(241_344, ActivationModel.PerTokenLayer(shape, lora: true, dropout: 0));
        // Dropout 0.05: the dropped float32 copy and a byte mask per input element instead: 31,488 · 5 = 157,440.
        Assert.Equal(115_200 + 157_440 + 192, ActivationModel.PerTokenLayer(shape, lora: true, dropout: 0.05));
    }

    [Fact]
    public void A_tiny_float32_model_keeps_its_shared_lora_inputs_once_and_recomputation_keeps_layer_inputs()
    {
        // d 64, 4 heads of 16 over 2 key/value heads (kv 32), ffn 172, vocab 128, 2 layers, float32, LoRA r 4 on q, k, v.
        var config = TinyModelFactory.Config(vocabSize: 128, hidden: 64, layers: 2, heads: 4, kvHeads: 2) with { IntermediateSize = 172 };
        var shape = new PlanShape(config, 4, 4, 4, LoraTargets.Qkv.ShortNames);
        // 128·64 embedding + 2 · (64·64 + 2·64·32 + 64·64 + 3·64·172 + 2·64) + 64 + 128·64 head = 8192 + 90,880 + 64 + 8192.
        Assert.Equal(107_328, shape.Parameters);
        Assert.Equal(2 * 4 * (128 + 96 + 96), shape.LoraElements);
        // (2·64 + 2·64 + 2·32 + 3·172) · 4 = 3344; rank activations 3 · 4 · 4 = 48; the shared normed input 64 · 4 = 256.
        Assert.Equal(3648, ActivationModel.PerTokenLayer(shape, lora: true, dropout: 0));
        // 3 rows × 10 tokens: 2 layers · 30 · 3648 + logits 30 · 128 · (4 + 8) = 218,880 + 46,080.
        Assert.Equal(264_960, ActivationModel.Pass(shape, 3, 10, lora: true, 0, recompute: false));
        // Recomputed: 2 layers' inputs 2 · 30 · 64 · 4 = 15,360, one layer 109,440, the logits 46,080.
        Assert.Equal(170_880, ActivationModel.Pass(shape, 3, 10, lora: true, 0, recompute: true));
    }
}
