using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Masks;

/// <summary>
/// Which LoRA elements train: one bool mask per LoRA tensor key (<c>{module path}.lora_A</c> / <c>.lora_B</c>), same shape
/// as the tensor, true = active. Saved as safetensors with dtype BOOL (LoraPar.Model.Checkpoints.SafetensorsFile reads BOOL; PEFT/safetensors
/// in Python load it as torch.bool). The set owns its mask tensors.
/// </summary>
public sealed class LoraMaskSet : IDisposable
{
    private readonly Dictionary<string, Tensor> masks;
    private readonly Dictionary<string, long> activeCounts;

    /// <summary>Takes ownership of <paramref name="masks"/> (detaching them from any dispose scope); every tensor must be bool.</summary>
    public LoraMaskSet(IReadOnlyDictionary<string, Tensor> masks)
    {
        var notBool = masks.Where(kv => kv.Value.dtype != ScalarType.Bool).Select(kv => $"{kv.Key} ({kv.Value.dtype})").ToList();
        if (notBool.Count > 0) throw new ArgumentException($"masks must be bool tensors: {string.Join(", ", notBool)}", nameof(masks));
        this.masks = masks.ToDictionary(kv => kv.Key, kv => kv.Value.DetachFromDisposeScope());
        activeCounts = this.masks.ToDictionary(kv => kv.Key, kv => CountTrue(kv.Value));
    }

    /// <summary>The masks by LoRA tensor key.</summary>
    public IReadOnlyDictionary<string, Tensor> Masks => masks;

    /// <summary>Active elements per LoRA tensor key.</summary>
    public IReadOnlyDictionary<string, long> ActiveCounts => activeCounts;

    /// <summary>Active elements over all tensors.</summary>
    public long TotalActive => activeCounts.Values.Sum();

    /// <summary>All elements over all tensors.</summary>
    public long TotalElements => masks.Values.Sum(m => m.numel());

    /// <summary>Active elements / all elements.</summary>
    public double ActiveFraction => TotalElements == 0 ? 0 : (double)TotalActive / TotalElements;

    /// <summary>Every element of every tensor active (plain LoRA training through the masked optimizer).</summary>
    public static LoraMaskSet AllActive<T>(IReadOnlyDictionary<string, T> tensors) where T : Tensor =>
        new(tensors.ToDictionary(kv => kv.Key, kv => ones_like(kv.Value, dtype: ScalarType.Bool)));

    /// <summary>
    /// Exactly round(<paramref name="fraction"/> × total) elements active, drawn uniformly over all tensors together from a CPU
    /// generator seeded with <paramref name="seed"/> (the paper's "random selection of the same number of elements").
    /// </summary>
    public static LoraMaskSet Random<T>(IReadOnlyDictionary<string, T> tensors, double fraction, long seed) where T : Tensor
    {
        if (!(fraction >= 0 && fraction <= 1)) throw new BadInputException($"active fraction {fraction} must be in [0, 1]");
        var total = tensors.Values.Sum(t => t.numel());
        var active = (long)Math.Round(fraction * total);
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed, CPU);
        var flat = zeros(total, dtype: ScalarType.Bool);
        using Scalar on = true;
        flat.index_fill_(0, randperm(total, generator: generator).narrow(0, 0, active), on);             // (total)
        var result = new Dictionary<string, Tensor>();
        long offset = 0;
        foreach (var (key, t) in tensors)
        {
            var n = t.numel();
            result[key] = flat.narrow(0, offset, n).reshape(t.shape).to(t.device).clone().DetachFromDisposeScope(); // (same shape as t)
            offset += n;
        }
        return new LoraMaskSet(result);
    }

    /// <summary>Checks that the masks cover exactly <paramref name="tensors"/>, key by key and shape by shape.</summary>
    public void CheckMatches<T>(IReadOnlyDictionary<string, T> tensors, string source) where T : Tensor
    {
        var missing = tensors.Keys.Except(masks.Keys).ToList();
        var extra = masks.Keys.Except(tensors.Keys).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new BadInputException($"{source}: masks do not match the LoRA tensors (no mask for: {Preview(missing)}; mask without tensor: {Preview(extra)}); " +
                "build masks from the same targets the adapters were injected with");
        foreach (var (key, t) in tensors)
        {
            if (!masks[key].shape.SequenceEqual(t.shape))
                throw new BadInputException($"{source}: mask {key} has shape [{string.Join(", ", masks[key].shape)}] but the tensor is [{string.Join(", ", t.shape)}]; check r");
        }
    }

    /// <summary>A copy of the set on <paramref name="device"/>.</summary>
    public LoraMaskSet To(Device device) => new(masks.ToDictionary(kv => kv.Key, kv => kv.Value.to(device, copy: true)));

    /// <summary>Writes the masks to <paramref name="path"/> (safetensors, BOOL) atomically.</summary>
    public void Save(string path) => SafetensorsFile.Write(path, masks.OrderBy(kv => kv.Key, StringComparer.Ordinal));

    /// <summary>Reads masks written by <see cref="Save"/> onto <paramref name="device"/>.</summary>
    public static LoraMaskSet Load(string path, Device device)
    {
        var loaded = SafetensorsFile.ReadAll(path);
        var notBool = loaded.Where(kv => kv.Value.dtype != ScalarType.Bool).Select(kv => kv.Key).ToList();
        if (notBool.Count > 0)
            throw new BadInputException($"{path}: {string.Join(", ", notBool.Take(3))} are not bool masks; a mask file holds one BOOL tensor per LoRA tensor");
        return new LoraMaskSet(loaded.ToDictionary(kv => kv.Key, kv => kv.Value.to(device)));
    }

    public void Dispose()
    {
        foreach (var m in masks.Values) m.Dispose();
        masks.Clear();
    }

    private static long CountTrue(Tensor mask)
    {
        using var count = mask.count_nonzero();
        return count.item<long>();
    }

    private static string Preview(IReadOnlyList<string> keys) =>
        keys.Count == 0 ? "none" : string.Join(", ", keys.Take(3)) + (keys.Count > 3 ? $" and {keys.Count - 3} more" : "");
}
