using LoraPar.Core;
using System.Text;
using System.Text.Json;

namespace LoraPar.Model.Llama;

/// <summary>Reads and writes <see cref="LlamaConfig"/> in the Hugging Face config.json layout.</summary>
internal static class LlamaConfigJson
{
    private static readonly HashSet<string> Modelled =
    [
        "architectures", "model_type", "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
        "num_attention_heads", "num_key_value_heads", "head_dim", "rms_norm_eps", "rope_theta", "rope_scaling",
        "max_position_embeddings", "tie_word_embeddings", "attention_bias", "mlp_bias", "torch_dtype", "dtype",
        "bos_token_id", "eos_token_id", "pad_token_id", "initializer_range", "hidden_act",
    ];

    public static LlamaConfig Parse(string json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{source}:{e.LineNumber + 1}: not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new BadInputException($"{source}: the model config must be a JSON object.");
            var reader = new JsonFieldReader(doc.RootElement);
            var config = Read(reader);
            reader.Problems.AddRange(config.Problems());
            if (reader.Problems.Count > 0)
                throw new BadInputException($"{source}: invalid model config:\n  " + string.Join("\n  ", reader.Problems));
            return config;
        }
    }

    private static LlamaConfig Read(JsonFieldReader r)
    {
        var family = ReadFamily(r);
        var defaults = new LlamaConfig();
        var hidden = r.Int("hidden_size", defaults.HiddenSize);
        var heads = r.Int("num_attention_heads", defaults.NumAttentionHeads);
        if (r.Text("hidden_act", "silu") is var act && act != "silu")
            r.Problems.Add($"hidden_act: only \"silu\" (SwiGLU) is supported, got \"{act}\"");
        if (r.Bool("use_sliding_window", false))
            r.Problems.Add("use_sliding_window: sliding-window attention is not supported; set it to false");
        var dtypeName = r.Text("torch_dtype", null) ?? r.Text("dtype", null) ?? "float32";
        var dtype = DTypeNames.Parse(dtypeName);
        if (dtype is null) r.Problems.Add($"torch_dtype: \"{dtypeName}\" is not one of float32, bfloat16, float16");
        return defaults with
        {
            Family = family,
            VocabSize = r.Int("vocab_size", defaults.VocabSize),
            HiddenSize = hidden,
            IntermediateSize = r.Int("intermediate_size", defaults.IntermediateSize),
            NumHiddenLayers = r.Int("num_hidden_layers", defaults.NumHiddenLayers),
            NumAttentionHeads = heads,
            NumKeyValueHeads = r.Int("num_key_value_heads", heads),
            HeadDimOverride = r.OptionalInt("head_dim"),
            RmsNormEps = r.Double("rms_norm_eps", defaults.RmsNormEps),
            RopeTheta = r.Double("rope_theta", defaults.RopeTheta),
            RopeScaling = ReadRopeScaling(r),
            MaxPositionEmbeddings = r.Int("max_position_embeddings", defaults.MaxPositionEmbeddings),
            TieWordEmbeddings = r.Bool("tie_word_embeddings", false),
            AttentionBias = r.Bool("attention_bias", family == ModelFamily.Qwen2),
            MlpBias = r.Bool("mlp_bias", false),
            TorchDType = dtype ?? defaults.TorchDType,
            BosTokenId = r.OptionalInt("bos_token_id"),
            EosTokenIds = r.IntOrList("eos_token_id"),
            PadTokenId = r.OptionalInt("pad_token_id"),
            InitializerRange = r.Double("initializer_range", defaults.InitializerRange),
            Extra = r.Unmodelled(Modelled),
        };
    }

    private static ModelFamily ReadFamily(JsonFieldReader r) => r.Text("model_type", "llama") switch
    {
        "llama" => ModelFamily.Llama,
        "qwen2" => ModelFamily.Qwen2,
        var other => r.Fail($"model_type: \"{other}\" is not supported (supported: llama, qwen2)", ModelFamily.Llama),
    };

    private static RopeScaling? ReadRopeScaling(JsonFieldReader r)
    {
        if (!r.Root.TryGetProperty("rope_scaling", out var block) || block.ValueKind == JsonValueKind.Null) return null;
        if (block.ValueKind != JsonValueKind.Object) return r.Fail<RopeScaling?>("rope_scaling: must be an object or null", null);
        var s = new JsonFieldReader(block, "rope_scaling.", r.Problems);
        var typeName = s.Text("rope_type", null) ?? s.Text("type", null) ?? "";
        if (typeName == "default") return null;
        if (RopeScaling.Parse(typeName) is not { } kind)
            return r.Fail<RopeScaling?>($"rope_scaling.rope_type: \"{typeName}\" is not supported (supported: linear, llama3)", null);
        return new RopeScaling(kind, s.Double("factor", 1.0), s.Double("low_freq_factor", 1.0), s.Double("high_freq_factor", 4.0),
            s.Int("original_max_position_embeddings", 8192));
    }

    public static string Write(LlamaConfig c)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("architectures");
            w.WriteStringValue(c.Family == ModelFamily.Qwen2 ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
            w.WriteEndArray();
            w.WriteString("model_type", c.Family == ModelFamily.Qwen2 ? "qwen2" : "llama");
            WriteShape(w, c);
            WriteTokens(w, c);
            foreach (var (key, value) in c.Extra.Where(e => !Modelled.Contains(e.Key)))
            {
                w.WritePropertyName(key);
                value.WriteTo(w);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteShape(Utf8JsonWriter w, LlamaConfig c)
    {
        w.WriteNumber("vocab_size", c.VocabSize);
        w.WriteNumber("hidden_size", c.HiddenSize);
        w.WriteNumber("intermediate_size", c.IntermediateSize);
        w.WriteNumber("num_hidden_layers", c.NumHiddenLayers);
        w.WriteNumber("num_attention_heads", c.NumAttentionHeads);
        w.WriteNumber("num_key_value_heads", c.NumKeyValueHeads);
        if (c.HeadDimOverride is { } headDim) w.WriteNumber("head_dim", headDim);
        w.WriteString("hidden_act", "silu");
        w.WriteNumber("rms_norm_eps", c.RmsNormEps);
        w.WriteNumber("rope_theta", c.RopeTheta);
        if (c.RopeScaling is { } s)
        {
            w.WriteStartObject("rope_scaling");
            w.WriteString("rope_type", RopeScaling.Name(s.Kind));
            w.WriteNumber("factor", s.Factor);
            if (s.Kind == RopeScalingKind.Llama3)
            {
                w.WriteNumber("low_freq_factor", s.LowFreqFactor);
                w.WriteNumber("high_freq_factor", s.HighFreqFactor);
                w.WriteNumber("original_max_position_embeddings", s.OriginalMaxPositionEmbeddings);
            }
            w.WriteEndObject();
        }
        else w.WriteNull("rope_scaling");
        w.WriteNumber("max_position_embeddings", c.MaxPositionEmbeddings);
        w.WriteBoolean("tie_word_embeddings", c.TieWordEmbeddings);
        w.WriteBoolean("attention_bias", c.AttentionBias);
        w.WriteBoolean("mlp_bias", c.MlpBias);
        w.WriteNumber("initializer_range", c.InitializerRange);
        w.WriteString("torch_dtype", DTypeNames.Name(c.TorchDType));
    }

    private static void WriteTokens(Utf8JsonWriter w, LlamaConfig c)
    {
        if (c.BosTokenId is { } bos) w.WriteNumber("bos_token_id", bos);
        else w.WriteNull("bos_token_id");
        if (c.EosTokenIds.Count == 1) w.WriteNumber("eos_token_id", c.EosTokenIds[0]);
        else
        {
            w.WriteStartArray("eos_token_id");
            foreach (var id in c.EosTokenIds) w.WriteNumberValue(id);
            w.WriteEndArray();
        }
        if (c.PadTokenId is { } pad) w.WriteNumber("pad_token_id", pad);
    }
}
