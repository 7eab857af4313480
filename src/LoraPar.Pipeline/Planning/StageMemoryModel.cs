using LoraPar.Method.Importance;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Planning;

/// <summary>
/// The predicted peak memory of each GPU stage (<see cref="MemoryBreakdown"/>) from the manifest's settings and the model's
/// shape, following what the stage allocates: importance captures per-example gradients into float64 sums and, over float32
/// weights, scores through merged copies; SFT and GRPO keep AdamW moments for active elements only (counted for all LoRA
/// elements: the masks stage decides how many are active); GRPO's reference keeps the active elements' start values and its
/// rollout merges float32 adapters into a copy; evaluation decodes with a KV cache, over float32 weights through a merged
/// copy, at batch 1 through fused projections.
/// </summary>
public static class StageMemoryModel
{
    /// <summary>Systems whose importance is scored (System 1 and System 2).</summary>
    private const int Systems = 2;

    /// <summary>The stage's breakdown, or null for a stage that holds no model (data, labels, masks, report).</summary>
    public static MemoryBreakdown? Of(string kind, PipelineManifest m, PlanShape s) => kind switch
    {
        StageKinds.Pretrain when m.Model.Source == ModelSource.Pretrain => Pretrain(m, s),
        StageKinds.Scores => Scores(m, s),
        StageKinds.Sft => Sft(m, s),
        StageKinds.Rl => Rl(m, s),
        StageKinds.EvalBase => Eval(m, s, adapters: false),
        StageKinds.Eval => Eval(m, s, adapters: true),
        _ => null,
    };

    /// <summary>Prompt tokens an evaluation question is assumed to take: <c>rl.max_prompt_length</c>.</summary>
    public static int EvalPromptTokens(PipelineManifest m) => m.Rl.MaxPromptLength;

    private static MemoryBreakdown Pretrain(PipelineManifest m, PlanShape s)
    {
        var t = m.Model.Tiny;
        var p = (double)s.Parameters * s.WeightBytes;
        return new MemoryBreakdown(2 * p, 0, 2 * p, ActivationModel.Pass(s, t.PretrainBatchSize, t.ContextLength, lora: false, 0, false), 0, 0, 0, 0);
    }

    private static MemoryBreakdown Scores(PipelineManifest m, PlanShape s)
    {
        var o = m.Importance;
        var batched = o.GradientPath == GradientPath.Batched;
        double rows = batched ? o.BatchSize : 1, tokens = o.MaxLength, e = s.LoraElements;
        var activations = ActivationModel.Pass(s, rows, tokens, lora: true, 0, o.GradientCheckpointing);
        // Per target: the branch output y and ∂L/∂y (out each) and h (r).
        var branch = batched
            ? rows * tokens * s.Config.NumHiddenLayers * s.Targets.Sum(t => 2 * s.Dimensions(t).Out + s.Rank) * (double)s.AdapterBytes : 0;
        var perExample = rows * e * (s.AdapterBytes + 8 + 8);                           // gradients, their float64 copy and square
        var sums = Systems * 2 * e * 8;                                                 // ḡ and F̂ sums per system, float64
        var merged = batched && s.WeightBytes == 4 ? s.TargetedWeightElements * 4.0 : 0;
        return new MemoryBreakdown(s.Parameters * (double)s.WeightBytes, e * s.AdapterBytes, 0, activations, 0, branch + perExample + sums, 0, merged);
    }

    private static MemoryBreakdown Sft(PipelineManifest m, PlanShape s)
    {
        var o = m.Sft;
        var activations = ActivationModel.Pass(s, o.Batching.BatchSize, o.Batching.MaxLength, lora: true, m.Lora.Dropout, o.GradientCheckpointing);
        return new MemoryBreakdown(s.Parameters * (double)s.WeightBytes, s.LoraElements * (double)s.AdapterBytes, Optimizer(s), activations, 0, 0, 0, 0);
    }

    private static MemoryBreakdown Rl(PipelineManifest m, PlanShape s)
    {
        var o = m.Rl;
        double rows = (double)o.NumGenerations * o.PromptsPerBatch, positions = o.MaxPromptLength + o.MaxCompletionLength;
        var activations = ActivationModel.Pass(s, rows, positions, lora: true, m.Lora.Dropout, o.GradientCheckpointing);
        var reference = o.Loss.Beta != 0 ? s.LoraElements * (s.AdapterBytes + 4.0) : 0;
        var merged = s.WeightBytes == 4 ? s.TargetedWeightElements * 4.0 : 0;
        return new MemoryBreakdown(s.Parameters * (double)s.WeightBytes, s.LoraElements * (double)s.AdapterBytes, Optimizer(s), activations,
            ActivationModel.KvCache(s, rows, positions), 0, reference, merged, CopiesWhileGenerating: true);
    }

    private static MemoryBreakdown Eval(PipelineManifest m, PlanShape s, bool adapters)
    {
        var e = m.Eval;
        var kv = ActivationModel.KvCache(s, e.BatchSize, EvalPromptTokens(m) + e.MaxNewTokens);
        var merged = adapters && s.WeightBytes == 4 ? s.TargetedWeightElements * 4.0 : 0;
        var packed = e.BatchSize == 1 && (!adapters || s.WeightBytes == 4) ? FusedCopy(s) : 0;
        return new MemoryBreakdown(s.Parameters * (double)s.WeightBytes, adapters ? s.LoraElements * (double)s.AdapterBytes : 0, 0, 0, kv, 0, 0,
            merged + packed);
    }

    /// <summary>LoRA gradients (every element) plus two AdamW moments and an int32 position per active element (≤ all).</summary>
    private static double Optimizer(PlanShape s) => s.LoraElements * (3.0 * s.AdapterBytes + 4);

    /// <summary>The fused q/k/v and gate/up copy decoding at batch 1 takes (<c>ProjectionFusion</c>).</summary>
    private static double FusedCopy(PlanShape s)
    {
        var (_, q) = s.Dimensions("q_proj");
        var (_, kv) = s.Dimensions("k_proj");
        double d = s.Config.HiddenSize, f = s.Config.IntermediateSize;
        return s.Config.NumHiddenLayers * (d * (q + 2 * kv) + 2 * d * f) * s.WeightBytes;
    }
}
