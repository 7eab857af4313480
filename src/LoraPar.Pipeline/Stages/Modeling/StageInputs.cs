using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Stages.Modeling;

/// <summary>What every model-using stage depends on besides its own settings: the base model's origin.</summary>
public static class StageInputs
{
    /// <summary>The pretrain stage when the base is built on the spot, else nothing (the checkpoint enters as an input folder).</summary>
    public static IReadOnlyList<string> BaseUpstream(PipelineManifest manifest) =>
        manifest.Model.Source == ModelSource.Pretrain ? [StageKinds.Pretrain] : [];

    /// <summary>The checkpoint folder whose bytes enter the key, when the base is a checkpoint.</summary>
    public static IReadOnlyList<StageInputFile> BaseInputs(PipelineManifest manifest) =>
        manifest.Model.Source == ModelSource.Checkpoint && manifest.Model.Path is { } path ? [new StageInputFile("base_model", path.Resolved)] : [];

    /// <summary>Manifest values every model-using stage reads.</summary>
    public static IReadOnlyList<string> BaseReads { get; } = ["model.source", "model.dtype", "device", "seed"];
}
