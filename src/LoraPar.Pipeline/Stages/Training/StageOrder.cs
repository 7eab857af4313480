using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Training.Grpo;

namespace LoraPar.Pipeline.Stages.Training;

/// <summary>
/// Which training stages a recipe runs, in which order, on which data: LoRA-PAR (SFT on D1 → RL on D2), SFT only (on D1 ∪ D2),
/// SFT → RL on all data (PiSSA+RL), the order ablation (RL on D2 → SFT on D1), and LoRA-PAR's stage 1 alone (SFT on D1). SFT always trains the stage-1 mask, RL the stage-2 mask.
/// </summary>
public static class StageOrder
{
    /// <summary>Whether <paramref name="kind"/> (sft or rl) runs under <paramref name="method"/>.</summary>
    public static bool Runs(TrainingMethod method, string kind) => kind == StageKinds.Sft || ManifestRules.RunsRl(method);

    /// <summary>The training stage that runs before <paramref name="kind"/>, or null when it starts from the freshly injected adapters.</summary>
    public static string? Previous(TrainingMethod method, string kind) => (method, kind) switch
    {
        (TrainingMethod.RlThenSft, StageKinds.Sft) => StageKinds.Rl,
        (TrainingMethod.RlThenSft, _) => null,
        (TrainingMethod.Sft or TrainingMethod.LoraParSft, _) => null,
        (_, StageKinds.Rl) => StageKinds.Sft,
        _ => null,
    };

    /// <summary>The last training stage of the recipe (what "stage 2" evaluates).</summary>
    public static string Last(TrainingMethod method) => method switch
    {
        TrainingMethod.Sft or TrainingMethod.LoraParSft or TrainingMethod.RlThenSft => StageKinds.Sft,
        _ => StageKinds.Rl,
    };

    /// <summary>The first training stage of the recipe (what "stage 1" evaluates).</summary>
    public static string First(TrainingMethod method) => method == TrainingMethod.RlThenSft ? StageKinds.Rl : StageKinds.Sft;

    /// <summary>
    /// The systems whose examples <paramref name="kind"/> trains on: D1 (SFT) and D2 (RL) for the dual-system recipes, both
    /// otherwise, and both for RL with <c>rl.prompt_rows = "all"</c> (the authors' example).
    /// </summary>
    public static IReadOnlyList<int> Systems(PipelineManifest manifest, string kind) => manifest.Method switch
    {
        _ when kind == StageKinds.Rl && manifest.Rl.PromptRows == GrpoPromptRows.All => [1, 2],
        TrainingMethod.LoraPar or TrainingMethod.RlThenSft or TrainingMethod.LoraParSft => kind == StageKinds.Sft ? [1] : [2],
        _ => [1, 2],
    };
}
