using LoraPar.Method.Importance;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Planning;

/// <summary>
/// Settings that lower a stage's peak, in the order a researcher would try them: recomputation (same result), then smaller
/// micro-batches with more accumulation (same effective batch), then shorter generation (changes the result). The fix a
/// plan names is the first candidate whose predicted peak fits.
/// </summary>
public static class PlanFixes
{
    /// <summary>The first candidate for <paramref name="kind"/> under which the stage fits <paramref name="usable"/> bytes, or null.</summary>
    public static string? Find(string kind, PipelineManifest m, PlanShape s, double usable) =>
        Candidates(kind, m).FirstOrDefault(c => StageMemoryModel.Of(kind, c.Manifest, s)?.Peak <= usable).Setting;

    /// <summary>The candidates for <paramref name="kind"/>, each a manifest key setting and the manifest with it.</summary>
    public static IEnumerable<(string Setting, PipelineManifest Manifest)> Candidates(string kind, PipelineManifest m) => kind switch
    {
        StageKinds.Sft => Sft(m),
        StageKinds.Rl => Rl(m),
        StageKinds.Scores => Scores(m),
        StageKinds.Eval or StageKinds.EvalBase => Halvings(m.Eval.BatchSize).Select(b => ($"eval.batch_size = {b}", m with { Eval = m.Eval with { BatchSize = b } })),
        StageKinds.Pretrain => Halvings(m.Model.Tiny.PretrainBatchSize).Select(b => ($"model.tiny.pretrain_batch_size = {b}",
            m with { Model = m.Model with { Tiny = m.Model.Tiny with { PretrainBatchSize = b } } })),
        _ => [],
    };

    private static IEnumerable<(string, PipelineManifest)> Sft(PipelineManifest m)
    {
        var o = m.Sft;
        const string recompute = "sft.gradient_checkpointing = true";
        if (!o.GradientCheckpointing) yield return (recompute, m with { Sft = o with { GradientCheckpointing = true } });
        foreach (var b in Halvings(o.Batching.BatchSize))
            foreach (var on in new[] { o.GradientCheckpointing, true }.Distinct())
            {
                var accumulation = o.GradientAccumulationSteps * o.Batching.BatchSize / b;
                yield return ($"sft.batch_size = {b}, gradient_accumulation_steps = {accumulation}{(on && !o.GradientCheckpointing ? ", " + recompute : "")} (same effective batch)",
                    m with { Sft = o with { Batching = o.Batching with { BatchSize = b }, GradientAccumulationSteps = accumulation, GradientCheckpointing = on } });
            }
    }

    private static IEnumerable<(string, PipelineManifest)> Rl(PipelineManifest m)
    {
        var o = m.Rl;
        const string recompute = "rl.gradient_checkpointing = true";
        if (!o.GradientCheckpointing) yield return (recompute, m with { Rl = o with { GradientCheckpointing = true } });
        foreach (var p in Halvings(o.PromptsPerBatch))
        {
            var accumulation = o.GradientAccumulationSteps * o.PromptsPerBatch / p;
            yield return ($"rl.prompts_per_batch = {p}, gradient_accumulation_steps = {accumulation}, {recompute} (same prompts per step)",
                m with { Rl = o with { PromptsPerBatch = p, GradientAccumulationSteps = accumulation, GradientCheckpointing = true } });
        }
        var shortest = m with { Rl = o with { PromptsPerBatch = 1, GradientAccumulationSteps = o.PromptsPerRollout, GradientCheckpointing = true } };
        foreach (var c in Halvings(o.MaxCompletionLength).Where(c => c >= 16))
            yield return ($"rl.prompts_per_batch = 1, {recompute}, max_completion_length = {c} (shorter generation: changes the result)",
                shortest with { Rl = shortest.Rl with { MaxCompletionLength = c } });
    }

    private static IEnumerable<(string, PipelineManifest)> Scores(PipelineManifest m)
    {
        var o = m.Importance;
        foreach (var b in Halvings(o.BatchSize)) yield return ($"importance.batch_size = {b}", m with { Importance = o with { BatchSize = b } });
        yield return ("importance.gradient_path = \"per-example-loop\", gradient_checkpointing = true",
            m with { Importance = o with { GradientPath = GradientPath.PerExampleLoop, GradientCheckpointing = true } });
    }

    /// <summary><paramref name="value"/>/2, /4, … down to 1 (nothing for 1).</summary>
    private static IEnumerable<int> Halvings(int value)
    {
        for (var v = value / 2; v >= 1; v /= 2) yield return v;
    }
}
