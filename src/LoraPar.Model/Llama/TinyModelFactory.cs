using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>Small randomly initialised LLaMA models for tests and the built-in default (CPU-friendly: 2 layers, d = 32–64).</summary>
public static class TinyModelFactory
{
    /// <summary>
    /// A tiny config: <paramref name="layers"/> layers of width <paramref name="hidden"/>, <paramref name="heads"/> query heads
    /// sharing <paramref name="kvHeads"/> key/value heads, SwiGLU width ≈ 8/3·d rounded to a multiple of 8.
    /// </summary>
    public static LlamaConfig Config(int vocabSize, int hidden = 64, int layers = 2, int heads = 4, int kvHeads = 2,
        int maxPositions = 512, bool tieEmbeddings = false) => new()
        {
            VocabSize = vocabSize,
            HiddenSize = hidden,
            IntermediateSize = (hidden * 8 / 3 + 7) / 8 * 8,
            NumHiddenLayers = layers,
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            RmsNormEps = 1e-5,
            MaxPositionEmbeddings = maxPositions,
            TieWordEmbeddings = tieEmbeddings,
            BosTokenId = 1,
            EosTokenIds = [2],
            PadTokenId = 0,
        };

    /// <summary>A model of <paramref name="config"/> with weights drawn from <paramref name="seed"/>.</summary>
    public static LlamaForCausalLM Create(LlamaConfig config, long seed, Device? device = null, ScalarType? dtype = null)
    {
        var model = new LlamaForCausalLM(config, device, dtype);
        WeightInitializer.Initialize(model, seed);
        return model;
    }
}
