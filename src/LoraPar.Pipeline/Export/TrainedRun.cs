using LoraPar.Core;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Training;
using LoraPar.Pipeline.Sweeps;

namespace LoraPar.Pipeline.Export;

/// <summary>
/// Where one run's trained model lives in the artifacts: the base model folder (the pretrain artifact or <c>model.path</c>),
/// the PEFT adapter of the recipe's last training stage and the masks it trained under.
/// </summary>
/// <param name="Variant">The run.</param>
/// <param name="BaseFolder">The HF folder of the base model the adapter was trained on.</param>
/// <param name="AdapterFolder">The adapter of the last training stage (as trained: against the residual base for PiSSA/OLoRA).</param>
/// <param name="MasksFolder">The masks artifact (masks.safetensors).</param>
public sealed record TrainedRun(RunVariant Variant, string BaseFolder, string AdapterFolder, string MasksFolder)
{
    /// <summary>The run's manifest.</summary>
    public PipelineManifest Manifest => Variant.Manifest;

    /// <summary>The trained run of <paramref name="variant"/>; bad input when its training has not completed.</summary>
    public static TrainedRun Find(PipelinePlan plan, ArtifactStore store, RunVariant variant, string manifestFile)
    {
        var last = StageOrder.Last(variant.Manifest.Method);
        return new TrainedRun(variant,
            variant.Manifest.Model.Source == ModelSource.Pretrain
                ? Complete(plan, store, variant, StageKinds.Pretrain, manifestFile)
                : variant.Manifest.Model.Path!.Resolved,
            Path.Combine(Complete(plan, store, variant, last, manifestFile), AdapterState.AdapterFolder),
            Complete(plan, store, variant, StageKinds.Masks, manifestFile));
    }

    private static string Complete(PipelinePlan plan, ArtifactStore store, RunVariant variant, string kind, string manifestFile)
    {
        var node = plan.Find(variant.Name, kind);
        if (node is null || !store.Check(kind, node.Key).IsComplete)
            throw new BadInputException($"run '{variant.Name}' of {plan.Manifest.Name} has no complete {kind} artifact for its current settings; "
                + $"run '{CommandHint.Lorapar} run {manifestFile}' first");
        return store.DirectoryOf(kind, node.Key);
    }
}
