using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Planning;

/// <summary>A stage's predicted time and what it counted.</summary>
/// <param name="Seconds">Predicted wall time.</param>
/// <param name="Basis">The work counted, e.g. "3,737 examples × 1 epoch × 512 tokens".</param>
public sealed record StageTime(double Seconds, string Basis);

/// <summary>
/// Time per stage from FLOPs per token: a forward costs 2·N per token (N = the matmul parameters, embeddings left out)
/// plus 2·T·q·layers for causal attention over T positions; a LoRA training pass costs two forwards (the backward of
/// frozen weights computes input gradients only), three with recomputation; pretraining's full backward costs two more.
/// Decoding takes per token the longer of its FLOPs and reading every weight and the KV cache once (memory bandwidth).
/// Token counts are upper bounds: every example at the stage's maximum length.
/// </summary>
public static class ThroughputModel
{
    /// <summary>The stage's time on <paramref name="device"/>, or null for a stage that holds no model.</summary>
    public static StageTime? Of(string kind, PipelineManifest m, PlanShape s, PlanDevice device, PlanData data) => kind switch
    {
        StageKinds.Pretrain => Pretrain(m, s, device),
        StageKinds.Scores => Scores(m, s, device, data),
        StageKinds.Sft => Sft(m, s, device, data),
        StageKinds.Rl => Rl(m, s, device, data),
        StageKinds.EvalBase => Eval(m, s, device, data, points: 1),
        StageKinds.Eval => Eval(m, s, device, data, m.Eval.Points.Count(p => p != EvalPoint.Base)),
        _ => null,
    };

    /// <summary>FLOPs of one forward over <paramref name="tokens"/> tokens at context <paramref name="context"/>.</summary>
    public static double Forward(PlanShape s, double tokens, double context) =>
        tokens * (2.0 * s.Config.ParameterCount(includeInputEmbedding: false)
                  + 2.0 * context * s.Config.NumAttentionHeads * s.Config.HeadDim * s.Config.NumHiddenLayers);

    /// <summary>Seconds to decode <paramref name="steps"/> tokens for <paramref name="rows"/> rows after a prompt of <paramref name="prompt"/>.</summary>
    public static double Decode(PlanShape s, PlanDevice device, double rows, double prompt, double steps)
    {
        var prefill = Forward(s, rows * prompt, prompt) / device.FlopsPerSecond;
        var context = prompt + steps / 2;
        var compute = Forward(s, rows, context) / device.FlopsPerSecond;
        var reads = (s.Parameters * (double)s.WeightBytes + ActivationModel.KvCache(s, rows, context)) / device.BytesPerSecond;
        return prefill + steps * Math.Max(compute, reads);
    }

    private static StageTime Pretrain(PipelineManifest m, PlanShape s, PlanDevice device)
    {
        var t = m.Model.Tiny;
        double tokens = (double)t.PretrainSteps * t.PretrainBatchSize * t.ContextLength;
        return new StageTime(3 * Forward(s, tokens, t.ContextLength / 2.0) / device.FlopsPerSecond,
            $"{t.PretrainSteps:N0} steps × {t.PretrainBatchSize} × {t.ContextLength} tokens");
    }

    private static StageTime Scores(PipelineManifest m, PlanShape s, PlanDevice device, PlanData data)
    {
        var o = m.Importance;
        var examples = 2.0 * Math.Min(o.SamplesPerSystem, data.Train);
        var passes = o.GradientCheckpointing ? 3 : 2;
        return new StageTime(passes * Forward(s, examples * o.MaxLength, o.MaxLength / 2.0) / device.FlopsPerSecond,
            $"2 systems × {Math.Min(o.SamplesPerSystem, data.Train):N0} examples × {o.MaxLength} tokens");
    }

    private static StageTime Sft(PipelineManifest m, PlanShape s, PlanDevice device, PlanData data)
    {
        var o = m.Sft;
        var examples = data.StageShare(m.Method) * data.Train;
        var tokens = examples * o.Epochs * o.Batching.MaxLength;
        var passes = o.GradientCheckpointing ? 3 : 2;
        return new StageTime(passes * Forward(s, tokens, o.Batching.MaxLength / 2.0) / device.FlopsPerSecond,
            $"{examples:N0} examples{data.ShareNote(m.Method)} × {o.Epochs} epoch(s) × {o.Batching.MaxLength} tokens");
    }

    private static StageTime Rl(PipelineManifest m, PlanShape s, PlanDevice device, PlanData data)
    {
        var o = m.Rl;
        var prompts = data.StageShare(m.Method) * data.Train * o.Epochs;
        double rows = (double)o.NumGenerations * o.PromptsPerBatch, positions = o.MaxPromptLength + o.MaxCompletionLength;
        var microBatches = prompts / o.PromptsPerBatch;
        var generate = Decode(s, device, rows, o.MaxPromptLength, o.MaxCompletionLength);
        var passes = (o.GradientCheckpointing ? 3 : 2) * o.NumIterations + (o.Loss.Beta != 0 ? 1 : 0) + (o.NumIterations > 1 ? 1 : 0);
        var train = passes * Forward(s, rows * positions, positions / 2.0) / device.FlopsPerSecond;
        return new StageTime(microBatches * (generate + train),
            $"{prompts:N0} prompts{data.ShareNote(m.Method)} × {o.NumGenerations} completions of {o.MaxCompletionLength} tokens");
    }

    private static StageTime Eval(PipelineManifest m, PlanShape s, PlanDevice device, PlanData data, int points)
    {
        var e = m.Eval;
        var questions = e.Limit > 0 ? Math.Min(e.Limit, data.Eval) : data.Eval;
        var batches = Math.Ceiling(questions / (double)e.BatchSize);
        var seconds = points * batches * Decode(s, device, e.BatchSize, StageMemoryModel.EvalPromptTokens(m), e.MaxNewTokens);
        return new StageTime(seconds, $"{points} point(s) × {questions:N0} questions × {e.MaxNewTokens} new tokens");
    }
}
