using LoraPar.Pipeline.Manifest;

namespace LoraPar.Pipeline.Stages;

/// <summary>
/// One step of the LoRA-PAR DAG (data → labels → scores → masks → sft → rl → eval → report). A stage is a pure function of
/// what it declares: the manifest values it reads, its upstream stages' outputs and its input files. The engine hashes those
/// into a key, skips the stage when <c>artifacts/&lt;kind&gt;/&lt;key&gt;/</c> is complete, and otherwise calls
/// <see cref="Execute"/> with an empty temporary folder that becomes the artifact atomically.
/// </summary>
public interface IStage
{
    /// <summary>The stage name, e.g. <c>masks</c> (see <see cref="StageKinds"/>); also its artifacts sub-folder and <c>--stage</c> name.</summary>
    string Kind { get; }

    /// <summary>Bump when the stage's code computes something different from the same inputs: every key of this kind changes.</summary>
    int Version { get; }

    /// <summary>
    /// What this stage depends on for <paramref name="manifest"/>, or null when the stage is not part of this manifest's DAG
    /// (e.g. <c>rl</c> when method = "sft"). Called before anything runs; must be cheap and must not touch tensors.
    /// </summary>
    StageDeclaration? Declare(PipelineManifest manifest);

    /// <summary>
    /// Computes the outputs into <see cref="StageContext.OutputDirectory"/>. Check <see cref="StageContext.Cancellation"/> between
    /// steps (throwing <see cref="OperationCanceledException"/> discards the partial output). Write only inside the output folder.
    /// </summary>
    void Execute(StageContext context);
}

/// <summary>A file or folder whose bytes enter a stage's key (a dataset, a checkpoint folder).</summary>
/// <param name="Name">A stable logical name, e.g. <c>train</c>; renaming the file on disk does not change the key, editing it does.</param>
/// <param name="Path">Absolute path (a manifest path's <see cref="ManifestPath.Resolved"/>).</param>
public sealed record StageInputFile(string Name, string Path);

/// <summary>What a stage reads, for one manifest.</summary>
/// <param name="Upstream">Kinds of the stages whose outputs it reads (their keys enter this key).</param>
/// <param name="Reads">Dotted manifest paths it reads, e.g. <c>partition</c>, <c>lora.rank</c>, <c>seed</c>; cosmetic fields are dropped.</param>
/// <param name="Inputs">Files whose bytes it reads.</param>
public sealed record StageDeclaration(IReadOnlyList<string> Upstream, IReadOnlyList<string> Reads, IReadOnlyList<StageInputFile>? Inputs = null)
{
    /// <summary>The input files (empty when none).</summary>
    public IReadOnlyList<StageInputFile> Inputs { get; init; } = Inputs ?? [];

    /// <summary>
    /// The manifest <see cref="Reads"/> are taken from, when not the run's own: the data and pretrain stages read theirs through
    /// <see cref="PipelineManifest.DataSeeded"/>, so a run with <c>data.seed</c> shares their artifacts with any run of that seed.
    /// </summary>
    public PipelineManifest? From { get; init; }
}
