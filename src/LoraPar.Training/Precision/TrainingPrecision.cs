using LoraPar.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Precision;

/// <summary>
/// The dtype the frozen base model computes in. TorchSharp 0.107 has no <c>torch.autocast</c>, so mixed precision is
/// done the way LoRA training on a GPU usually runs it: the frozen base weights are held in bf16 or fp16, the LoRA factors
/// stay float32 (their master copy; <c>LoraLinear</c> computes the adapter path in float32 and adds it to the base
/// output), and the loss is computed from float32 logits. On the CPU, auto is float32; bf16 runs there too (the 7B-shaped
/// rehearsal, <c>lorapar bench scale</c>, needs it: a float32 copy of 7B weights does not fit a laptop), fp16 does not.
/// </summary>
public enum TrainingPrecision
{
    /// <summary>float32 on the CPU, bf16 on CUDA.</summary>
    Auto,

    /// <summary>float32 everywhere.</summary>
    Float32,

    /// <summary>bf16 base weights (CUDA, or the CPU where memory forbids float32).</summary>
    BFloat16,

    /// <summary>fp16 base weights with dynamic loss scaling (CUDA only).</summary>
    Float16,
}

/// <summary>Resolves a <see cref="TrainingPrecision"/> for a device.</summary>
public static class TrainingPrecisionPolicy
{
    /// <summary>The dtype to load the base model in on <paramref name="device"/>; fp16 on the CPU is bad input.</summary>
    public static ScalarType BaseDType(TrainingPrecision precision, Device device)
    {
        var cuda = device.type == DeviceType.CUDA;
        return precision switch
        {
            TrainingPrecision.Auto => cuda ? ScalarType.BFloat16 : ScalarType.Float32,
            TrainingPrecision.Float32 => ScalarType.Float32,
            TrainingPrecision.Float16 when !cuda => throw new BadInputException(
                $"precision = \"{Name(precision)}\" needs a CUDA device; on the CPU training runs in float32 or bf16 (use precision = \"auto\", \"fp32\" or \"bf16\")."),
            TrainingPrecision.BFloat16 => ScalarType.BFloat16,
            TrainingPrecision.Float16 => ScalarType.Float16,
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
        };
    }

    /// <summary>
    /// Checks that every frozen floating parameter of <paramref name="model"/> has the dtype <see cref="BaseDType"/> gives
    /// (the caller loaded the base model for this precision) and returns the loss scale to start with.
    /// </summary>
    public static DynamicLossScale InitialLossScale(nn.Module model, TrainingPrecision precision, Device device)
    {
        var expected = BaseDType(precision, device);
        var wrong = model.named_parameters()
            .Where(p => !p.parameter.requires_grad && p.parameter.is_floating_point() && p.parameter.dtype != expected)
            .Select(p => $"{p.name} ({p.parameter.dtype})").Take(3).ToList();
        if (wrong.Count > 0)
            throw new InvalidOperationException($"precision {Name(precision)} on {device.type} needs the base model in {expected}, " +
                $"but {string.Join(", ", wrong)} differ; load it with TrainingPrecisionPolicy.BaseDType");
        return NeedsLossScaling(expected) ? DynamicLossScale.Initial : DynamicLossScale.None;
    }

    /// <summary>Whether a base model in <paramref name="dtype"/> needs loss scaling (fp16 gradients underflow without it).</summary>
    public static bool NeedsLossScaling(ScalarType dtype) => dtype == ScalarType.Float16;

    /// <summary>The manifest name: auto, fp32, bf16, fp16.</summary>
    public static string Name(TrainingPrecision precision) => precision switch
    {
        TrainingPrecision.Auto => "auto",
        TrainingPrecision.Float32 => "fp32",
        TrainingPrecision.BFloat16 => "bf16",
        TrainingPrecision.Float16 => "fp16",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };

    /// <summary>Parses a manifest name; an unknown one is a <see cref="BadInputException"/> listing the choices.</summary>
    public static TrainingPrecision Parse(string name)
    {
        var key = name.Trim().ToLowerInvariant();
        foreach (var precision in Enum.GetValues<TrainingPrecision>())
        {
            if (Name(precision) == key) return precision;
        }
        throw new BadInputException($"unknown precision '{name}': use one of auto, fp32, bf16, fp16");
    }
}
