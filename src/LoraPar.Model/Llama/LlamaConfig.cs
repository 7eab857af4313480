using LoraPar.Core;
using System.Text.Json;
using TorchSharp;

namespace LoraPar.Model.Llama;

/// <summary>The checkpoint family, from <c>model_type</c>: decides the HF architecture name and family defaults.</summary>
public enum ModelFamily
{
    /// <summary>LLaMA-2 / LLaMA-3 (<c>model_type = "llama"</c>).</summary>
    Llama,

    /// <summary>Qwen2 / Qwen2.5 (<c>model_type = "qwen2"</c>): bias on q/k/v projections.</summary>
    Qwen2,
}

/// <summary>
/// The hyper-parameters of a LLaMA-family decoder, read from and written to a Hugging Face <c>config.json</c>.
/// Keys this type does not model are kept verbatim in <see cref="Extra"/> and written back.
/// </summary>
public sealed record LlamaConfig
{
    public ModelFamily Family { get; init; } = ModelFamily.Llama;
    public int VocabSize { get; init; } = 32000;
    public int HiddenSize { get; init; } = 4096;
    public int IntermediateSize { get; init; } = 11008;
    public int NumHiddenLayers { get; init; } = 32;
    public int NumAttentionHeads { get; init; } = 32;
    public int NumKeyValueHeads { get; init; } = 32;

    /// <summary>Explicit <c>head_dim</c>; null means <see cref="HiddenSize"/> / <see cref="NumAttentionHeads"/>.</summary>
    public int? HeadDimOverride { get; init; }

    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 10000.0;
    public RopeScaling? RopeScaling { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 2048;
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Bias on q/k/v/o (LLaMA <c>attention_bias</c>); Qwen2 has bias on q/k/v only (see <see cref="OutputProjectionBias"/>).</summary>
    public bool AttentionBias { get; init; }

    /// <summary>Bias on the MLP projections (<c>mlp_bias</c>).</summary>
    public bool MlpBias { get; init; }

    /// <summary>The dtype the checkpoint stores (<c>torch_dtype</c>).</summary>
    public torch.ScalarType TorchDType { get; init; } = torch.ScalarType.Float32;

    public int? BosTokenId { get; init; } = 1;
    public IReadOnlyList<int> EosTokenIds { get; init; } = [2];
    public int? PadTokenId { get; init; }
    public double InitializerRange { get; init; } = 0.02;

    /// <summary>config.json keys not modelled above (e.g. <c>use_cache</c>, <c>transformers_version</c>), written back unchanged.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extra { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>Size of one attention head.</summary>
    public int HeadDim => HeadDimOverride ?? HiddenSize / NumAttentionHeads;

    /// <summary>Query heads per key/value head (1 = multi-head attention).</summary>
    public int KvGroups => NumAttentionHeads / NumKeyValueHeads;

    /// <summary>Whether o_proj has a bias: LLaMA's <c>attention_bias</c> covers it, Qwen2's q/k/v bias does not.</summary>
    public bool OutputProjectionBias => AttentionBias && Family == ModelFamily.Llama;

    /// <summary>Number of parameters; <paramref name="includeInputEmbedding"/> false leaves out <c>embed_tokens</c> (lm_head always counts unless tied).</summary>
    public long ParameterCount(bool includeInputEmbedding = true)
    {
        long d = HiddenSize, q = (long)NumAttentionHeads * HeadDim, kv = (long)NumKeyValueHeads * HeadDim;
        var attention = d * q + 2 * d * kv + q * d + (AttentionBias ? q + 2 * kv : 0) + (OutputProjectionBias ? d : 0);
        var mlp = 3 * d * IntermediateSize + (MlpBias ? 2L * IntermediateSize + d : 0);
        var layer = attention + mlp + 2 * d;
        var embedding = (long)VocabSize * d;
        var head = TieWordEmbeddings ? (includeInputEmbedding ? 0 : embedding) : embedding;
        return NumHiddenLayers * layer + d + head + (includeInputEmbedding ? embedding : 0);
    }

    /// <summary>Every inconsistency, each as "key: message"; empty when the config is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Positive(string key, double value)
        {
            if (!(value > 0)) problems.Add($"{key}: must be positive, got {value}");
        }
        Positive("vocab_size", VocabSize);
        Positive("hidden_size", HiddenSize);
        Positive("intermediate_size", IntermediateSize);
        Positive("num_hidden_layers", NumHiddenLayers);
        Positive("num_attention_heads", NumAttentionHeads);
        Positive("num_key_value_heads", NumKeyValueHeads);
        Positive("rms_norm_eps", RmsNormEps);
        Positive("rope_theta", RopeTheta);
        Positive("max_position_embeddings", MaxPositionEmbeddings);
        if (HeadDimOverride is null && NumAttentionHeads > 0 && HiddenSize % NumAttentionHeads != 0)
            problems.Add($"hidden_size: {HiddenSize} is not divisible by num_attention_heads = {NumAttentionHeads}");
        if (HeadDim % 2 != 0) problems.Add($"head_dim: rotary embeddings need an even head size, got {HeadDim}");
        if (NumKeyValueHeads > 0 && NumAttentionHeads % NumKeyValueHeads != 0)
            problems.Add($"num_key_value_heads: {NumKeyValueHeads} does not divide num_attention_heads = {NumAttentionHeads}");
        if (RopeScaling is { } scaling) problems.AddRange(scaling.Problems());
        return problems;
    }

    /// <summary>Throws <see cref="BadInputException"/> naming <paramref name="source"/> and every problem.</summary>
    public LlamaConfig Validated(string source = "config.json")
    {
        var problems = Problems();
        if (problems.Count > 0)
            throw new BadInputException($"{source}: invalid model config:\n  " + string.Join("\n  ", problems));
        return this;
    }

    /// <summary>Reads and validates a config.json file.</summary>
    public static LlamaConfig Load(string path) => LlamaConfigJson.Parse(ReadText(path), path);

    /// <summary>Parses config.json text; <paramref name="source"/> names it in error messages.</summary>
    public static LlamaConfig Parse(string json, string source = "config.json") => LlamaConfigJson.Parse(json, source);

    /// <summary>The config as HF config.json text.</summary>
    public string ToJson() => LlamaConfigJson.Write(this);

    /// <summary>Writes config.json atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    private static string ReadText(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: model config not found; a Hugging Face model folder has a config.json.");
        return File.ReadAllText(path);
    }
}
