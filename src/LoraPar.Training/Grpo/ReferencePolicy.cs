using LoraPar.Adapters.Masks;
using LoraPar.Model.Generation;
using LoraPar.Model.Llama;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Training.Grpo;

/// <summary>
/// The KL reference of GRPO: the policy as the stage started — in LoRA-PAR the stage-1 (SFT) result, not the base model
/// (switching the adapters off would give the base model). It is computed with the same model, no second copy: the stage
/// only ever writes the elements its mask marks active (the frozen ones are checked bit-identical at the end), so the
/// reference differs from the current policy only there. The reference keeps a packed copy of those elements' start
/// values (one 1-D tensor per LoRA tensor with active elements, plus their int32 flat positions) and, for a reference
/// forward, swaps them in under no_grad, runs the forward, and swaps the current values back — a copy in both
/// directions, so the policy is restored bit for bit, also when the forward throws.
/// </summary>
public sealed class ReferencePolicy : IDisposable
{
    private readonly List<Slot> slots;

    private ReferencePolicy(List<Slot> slots) => this.slots = slots;

    /// <summary>Elements whose reference values are kept (the stage's active elements).</summary>
    public long Elements => slots.Sum(s => s.Values.numel());

    /// <summary>Bytes kept: packed values plus their positions (fully active tensors need no positions).</summary>
    public long Bytes => slots.Sum(s => s.Values.numel() * s.Values.ElementSize + (s.Index is null ? 0 : s.Index.numel() * s.Index.ElementSize));

    /// <summary>
    /// Captures the reference from <paramref name="referenceValues"/> (the LoRA values the stage started from, any device;
    /// keys as <paramref name="parameters"/>') at the elements <paramref name="masks"/> marks active. The live
    /// <paramref name="parameters"/> are what later forwards swap into; nothing is written now.
    /// </summary>
    public static ReferencePolicy Capture<T>(IReadOnlyDictionary<string, Parameter> parameters, IReadOnlyDictionary<string, T> referenceValues,
        LoraMaskSet masks) where T : Tensor
    {
        masks.CheckMatches(parameters, "GRPO reference");
        masks.CheckMatches(referenceValues, "GRPO reference values");
        var slots = new List<Slot>();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (key, p) in parameters)
        {
            var active = masks.ActiveCounts[key];
            if (active == 0) continue;
            var start = referenceValues[key].detach().to(p.dtype, p.device).reshape(-1);                       // (numel)
            Tensor? index = null;
            Tensor values;
            if (active == p.numel()) values = start.clone();                                                  // (numel)
            else
            {
                var flat = masks.Masks[key].to(p.device).reshape(-1).nonzero().reshape(-1);                   // (active) int64
                index = (p.numel() <= int.MaxValue ? flat.to_type(ScalarType.Int32) : flat).DetachFromDisposeScope();
                values = start.index_select(0, index);                                                         // (active)
            }
            slots.Add(new Slot(p, index, values.contiguous().DetachFromDisposeScope()));
        }
        return new ReferencePolicy(slots);
    }

    /// <summary>
    /// Runs <paramref name="forward"/> with the reference values in place, under no_grad, then restores the current values
    /// exactly. Tensors <paramref name="forward"/> returns stay in the caller's dispose scope.
    /// </summary>
    public TResult Run<TResult>(Func<TResult> forward)
    {
        using var noGrad = no_grad();
        var saved = new List<Tensor>(slots.Count);
        try
        {
            foreach (var slot in slots)
            {
                using var scope = NewDisposeScope();
                var flat = slot.Parameter.detach().view(-1);                                                  // (numel), aliases the parameter
                saved.Add((slot.Index is null ? flat.clone() : flat.index_select(0, slot.Index)).DetachFromDisposeScope());
                Write(flat, slot.Values, slot.Index);
            }
            return forward();
        }
        finally
        {
            for (var i = 0; i < saved.Count; i++)
            {
                using var scope = NewDisposeScope();
                Write(slots[i].Parameter.detach().view(-1), saved[i], slots[i].Index);
                saved[i].Dispose();
            }
        }
    }

    /// <summary>(B, C) reference log-probs of <paramref name="batch"/>'s completion tokens at <paramref name="temperature"/> (0 off the mask).</summary>
    public Tensor TokenLogProbs(LlamaForCausalLM model, CompletionBatch batch, double temperature) =>
        Run(() => SequenceScorer.TokenLogProbs(model, batch, temperature));

    public void Dispose()
    {
        foreach (var slot in slots)
        {
            slot.Values.Dispose();
            slot.Index?.Dispose();
        }
        slots.Clear();
    }

    private static void Write(Tensor flat, Tensor values, Tensor? index)
    {
        if (index is null) flat.copy_(values);
        else flat.index_put_(values, [index]);
    }

    /// <summary>A LoRA tensor with active elements: the live parameter, the active flat positions (null: all) and their reference values.</summary>
    private sealed record Slot(Parameter Parameter, Tensor? Index, Tensor Values);
}
