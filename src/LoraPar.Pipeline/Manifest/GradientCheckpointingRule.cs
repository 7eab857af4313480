using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest;

/// <summary>
/// Gradient checkpointing replays LoRA dropout masks from the CPU generator's saved state; TorchSharp cannot save CUDA's,
/// so on CUDA a training stage with LoRA dropout above 0 would recompute with other masks and its gradients would be wrong.
/// Refused at load, at the stage's <c>gradient_checkpointing</c> key (importance always scores with dropout 0).
/// </summary>
public static class GradientCheckpointingRule
{
    /// <summary>Records the problem of each training section that asks for recomputation with dropout on CUDA.</summary>
    public static void Check(PipelineManifest m, SectionReader root)
    {
        var cuda = m.Device == DeviceChoice.Cuda || m.Device == DeviceChoice.Auto && TorchBuild.Cuda;
        if (!cuda || m.Lora.Dropout == 0) return;
        foreach (var (section, on) in new[] { ("sft", m.Sft.GradientCheckpointing), ("rl", m.Rl.GradientCheckpointing) })
            if (on)
                root.Section(section).Error("gradient_checkpointing", $"on CUDA the recompute cannot replay LoRA dropout masks "
                    + $"(lora.dropout = {m.Lora.Dropout}); set lora.dropout = 0 or gradient_checkpointing = false");
    }
}
