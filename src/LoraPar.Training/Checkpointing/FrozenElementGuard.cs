using LoraPar.Adapters.Masks;
using LoraPar.Core;
using static TorchSharp.torch;

namespace LoraPar.Training.Checkpointing;

/// <summary>
/// Proves that a stage left its frozen LoRA elements alone: it keeps a packed CPU copy of every element the mask marks
/// frozen (one 1-D tensor per LoRA tensor) and, at the end of the stage, compares the current values bit for bit.
/// Memory is proportional to the frozen elements, not to the model.
/// </summary>
public sealed class FrozenElementGuard : IDisposable
{
    private readonly Dictionary<string, Tensor> frozen;
    private readonly LoraMaskSet masks;

    private FrozenElementGuard(Dictionary<string, Tensor> frozen, LoraMaskSet masks)
    {
        this.frozen = frozen;
        this.masks = masks;
    }

    /// <summary>Number of frozen elements watched.</summary>
    public long FrozenElements => frozen.Values.Sum(t => t.numel());

    /// <summary>Copies the frozen elements of <paramref name="values"/> (keys as the masks'); <paramref name="masks"/> stays the caller's.</summary>
    public static FrozenElementGuard Capture<T>(IReadOnlyDictionary<string, T> values, LoraMaskSet masks) where T : Tensor
    {
        masks.CheckMatches(values, "frozen-element guard");
        var packed = new Dictionary<string, Tensor>();
        foreach (var (key, value) in values) packed[key] = Packed(value, masks.Masks[key]);
        return new FrozenElementGuard(packed, masks);
    }

    /// <summary>Per LoRA tensor, how many frozen elements differ in their bits from the captured values (only tensors that differ).</summary>
    public IReadOnlyDictionary<string, long> Changed<T>(IReadOnlyDictionary<string, T> current) where T : Tensor
    {
        var changed = new Dictionary<string, long>();
        foreach (var (key, expected) in frozen)
        {
            using var now = Packed(current[key], masks.Masks[key]);
            if (expected.bytes.SequenceEqual(now.bytes)) continue;
            using var differs = now.ne(expected).logical_or(now.isnan().logical_xor(expected.isnan())).count_nonzero();
            changed[key] = Math.Max(1, differs.item<long>());
        }
        return changed;
    }

    /// <summary>
    /// Throws a <see cref="JobFailedException"/> naming the tensors whose frozen elements differ from the captured values;
    /// <paramref name="context"/> says when (e.g. "sft, end of stage"), <paramref name="hint"/> what to do.
    /// </summary>
    public void Verify<T>(IReadOnlyDictionary<string, T> current, string context, string hint = DefaultHint) where T : Tensor
    {
        var changed = Changed(current);
        if (changed.Count == 0) return;
        var listed = string.Join(", ", changed.Take(5).Select(kv => $"{kv.Key} ({kv.Value} elements)"));
        throw new JobFailedException(
            $"{context}: frozen LoRA elements differ from the stage's start values in {changed.Count} tensors: {listed}{(changed.Count > 5 ? ", …" : "")}. {hint}");
    }

    /// <summary>The hint for a change during training: the optimizer must never write frozen elements.</summary>
    public const string DefaultHint =
        "The masked optimizer must never write frozen elements; this is a bug in lorapar — please report it with the manifest.";

    public void Dispose()
    {
        foreach (var t in frozen.Values) t.Dispose();
        frozen.Clear();
    }

    private static Tensor Packed(Tensor value, Tensor mask)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return value.detach().masked_select(mask.to(value.device).logical_not()).cpu().contiguous().clone().MoveToOuterDisposeScope();  // (frozen)
    }
}
