using LoraPar.Adapters.Masks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Training.Grpo;

/// <summary>
/// The GRPO reference policy without a second model: the stage-start model (for LoRA-PAR, the stage-1 SFT result) differs
/// from the current one only in the elements this stage trains, so the reference forward swaps the stage-start values of
/// exactly those active elements into the live LoRA tensors and swaps the current values back afterwards (bit-exact: the
/// values are gathered and scattered, never recomputed). Switching adapters off would give the base model instead.
/// Memory: one packed copy of the active elements.
/// </summary>
public sealed class StageStartReference : IDisposable
{
    private readonly IReadOnlyDictionary<string, Parameter> parameters;
    private readonly LoraMaskSet masks;
    private readonly Dictionary<string, Tensor> start;
    private bool swapped;

    private StageStartReference(IReadOnlyDictionary<string, Parameter> parameters, LoraMaskSet masks, Dictionary<string, Tensor> start)
    {
        this.parameters = parameters;
        this.masks = masks;
        this.start = start;
    }

    /// <summary>
    /// The reference for <paramref name="parameters"/> under <paramref name="masks"/> (on the parameters' device), whose
    /// stage-start values are <paramref name="stageStart"/> (any device; full tensors keyed as the parameters).
    /// </summary>
    public static StageStartReference Create<T>(IReadOnlyDictionary<string, Parameter> parameters, LoraMaskSet masks,
        IReadOnlyDictionary<string, T> stageStart) where T : Tensor
    {
        masks.CheckMatches(parameters, "GRPO reference");
        var packed = new Dictionary<string, Tensor>();
        using var noGrad = no_grad();
        foreach (var (key, p) in parameters)
        {
            using var scope = NewDisposeScope();
            packed[key] = stageStart[key].to(p.dtype, p.device).masked_select(masks.Masks[key]).clone().MoveToOuterDisposeScope();  // (active)
        }
        return new StageStartReference(parameters, masks, packed);
    }

    /// <summary>Puts the stage-start values into the active elements until the returned handle is disposed.</summary>
    public IDisposable Swapped()
    {
        if (swapped) throw new InvalidOperationException("the reference values are already swapped in");
        var current = new Dictionary<string, Tensor>();
        using (no_grad())
        {
            foreach (var (key, p) in parameters)
            {
                var mask = masks.Masks[key];
                current[key] = p.detach().masked_select(mask);               // (active)
                p.detach().masked_scatter_(mask, start[key]);
            }
        }
        swapped = true;
        return new Restore(this, current);
    }

    public void Dispose()
    {
        foreach (var t in start.Values) t.Dispose();
        start.Clear();
    }

    private sealed class Restore(StageStartReference owner, Dictionary<string, Tensor> current) : IDisposable
    {
        public void Dispose()
        {
            if (!owner.swapped) return;
            using (no_grad())
            {
                foreach (var (key, p) in owner.parameters) p.detach().masked_scatter_(owner.masks.Masks[key], current[key]);
            }
            foreach (var t in current.Values) t.Dispose();
            owner.swapped = false;
        }
    }
}
