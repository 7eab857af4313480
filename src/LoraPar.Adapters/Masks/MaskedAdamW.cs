using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Masks;

/// <summary>AdamW hyper-parameters (torch.optim.AdamW's defaults except the learning rate, which the trainer sets).</summary>
public sealed record AdamWOptions
{
    public double LearningRate { get; init; } = 2e-4;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Eps { get; init; } = 1e-8;
    public double WeightDecay { get; init; } = 0.01;
}

/// <summary>
/// AdamW (decoupled weight decay, bias-corrected moments, torch.optim.AdamW's update order) over LoRA tensors whose update
/// touches only the elements a <see cref="LoraMaskSet"/> marks active. The first and second moments are stored packed: one
/// 1-D tensor per LoRA tensor whose length is its active count, so optimizer memory is proportional to the active elements.
/// Each partly active tensor keeps the flat positions of its active elements (int32, computed once from the mask); a step
/// gathers them with <c>index_select</c>, updates, and writes them back with <c>index_put_</c> (boolean
/// <c>masked_select</c> runs a nonzero scan every call and measured far slower). Frozen elements are never written, so they
/// stay bit-identical for any number of steps — weight decay included. Fully active tensors are updated in place without
/// positions; fully frozen ones are skipped. Tensors without a gradient are skipped, as in torch.
/// </summary>
public sealed class MaskedAdamW : IDisposable
{
    private const string StepKey = "step";
    private readonly Dictionary<string, Slot> slots = [];

    /// <summary>
    /// Optimizes <paramref name="parameters"/> (contiguous; keys as the masks'). The masks are read once here (they may live
    /// on any device) and stay owned by the caller.
    /// </summary>
    public MaskedAdamW(IReadOnlyDictionary<string, Parameter> parameters, LoraMaskSet masks, AdamWOptions options)
    {
        masks.CheckMatches(parameters, "masked AdamW");
        Options = options;
        LearningRate = options.LearningRate;
        using var scope = NewDisposeScope();
        foreach (var (key, p) in parameters)
        {
            if (!p.is_contiguous()) throw new ArgumentException($"{key}: masked AdamW needs contiguous parameters", nameof(parameters));
            var active = masks.ActiveCounts[key];
            Tensor? index = null;
            if (active > 0 && active < p.numel())
            {
                var flat = masks.Masks[key].to(p.device).reshape(-1).nonzero().reshape(-1);          // (active), int64
                index = (p.numel() <= int.MaxValue ? flat.to_type(ScalarType.Int32) : flat).DetachFromDisposeScope();
            }
            var m = zeros(active, dtype: p.dtype, device: p.device).DetachFromDisposeScope();       // (active), owned by the optimizer
            var v = zeros(active, dtype: p.dtype, device: p.device).DetachFromDisposeScope();       // (active)
            slots[key] = new Slot(p, m, v, index);
        }
    }

    /// <summary>The hyper-parameters (the learning rate in them is the initial one).</summary>
    public AdamWOptions Options { get; }

    /// <summary>The learning rate of the next step; a scheduler sets it before each step.</summary>
    public double LearningRate { get; set; }

    /// <summary>Steps taken (bias correction uses it).</summary>
    public long StepCount { get; private set; }

    /// <summary>Number of elements the optimizer updates (active elements over all tensors).</summary>
    public long TrainableElements => slots.Values.Sum(s => s.M.numel());

    /// <summary>Bytes of optimizer state: the packed first and second moments, 2 × active × element size.</summary>
    public long StateBytes => slots.Values.Sum(s => s.M.numel() * s.M.ElementSize + s.V.numel() * s.V.ElementSize);

    /// <summary>Bytes of the cached active positions (4 per active element of partly active tensors; 0 for fully active ones).</summary>
    public long IndexBytes => slots.Values.Sum(s => s.Index is null ? 0 : s.Index.numel() * s.Index.ElementSize);

    /// <summary>Takes one AdamW step on the active elements of every tensor that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        var biasCorrection1 = 1 - Math.Pow(Options.Beta1, StepCount);
        var rule = new UpdateRule(Options.Beta1, Options.Beta2, Options.Eps,
            Decay: 1 - LearningRate * Options.WeightDecay,
            BiasCorrection2Sqrt: Math.Sqrt(1 - Math.Pow(Options.Beta2, StepCount)),
            StepSize: LearningRate / biasCorrection1);
        using var noGrad = no_grad();
        foreach (var slot in slots.Values)
        {
            if (slot.M.numel() == 0) continue;
            using var scope = NewDisposeScope();
            var grad = slot.P.grad;
            if (grad is null) continue;
            var flat = slot.P.detach().view(-1);                     // (numel), aliases the parameter
            var g = grad.reshape(-1);                                 // (numel)
            if (slot.Index is null)
            {
                rule.Apply(flat, g, slot.M, slot.V);                  // every element active: update in place
                continue;
            }
            var w = flat.index_select(0, slot.Index);                 // (active)
            rule.Apply(w, g.index_select(0, slot.Index), slot.M, slot.V);
            flat.index_put_(w, [slot.Index]);
        }
    }

    /// <summary>Clears the gradients of the optimized tensors.</summary>
    public void ZeroGrad()
    {
        foreach (var slot in slots.Values)
        {
            using var grad = slot.P.grad;
            grad?.zero_();
        }
    }

    /// <summary>Writes the step count and the packed moments (<c>{key}.exp_avg</c>, <c>{key}.exp_avg_sq</c>) as safetensors, atomically.</summary>
    public void SaveState(string path)
    {
        var entries = new List<KeyValuePair<string, Tensor>> { new(StepKey, tensor(new[] { StepCount })) };
        foreach (var key in slots.Keys.Order(StringComparer.Ordinal))
        {
            entries.Add(new(key + ".exp_avg", slots[key].M));
            entries.Add(new(key + ".exp_avg_sq", slots[key].V));
        }
        SafetensorsFile.Write(path, entries);
        entries[0].Value.Dispose();
    }

    /// <summary>Restores a state written by <see cref="SaveState"/> for the same tensors and masks, for an exact resume.</summary>
    public void LoadState(string path)
    {
        var loaded = SafetensorsFile.ReadAll(path);
        try
        {
            if (!loaded.TryGetValue(StepKey, out var step) || step.numel() != 1)
                throw new BadInputException($"{path}: no '{StepKey}' entry; this is not a masked AdamW state file");
            foreach (var (key, slot) in slots)
            {
                CopyPacked(loaded, key + ".exp_avg", slot.M, path);
                CopyPacked(loaded, key + ".exp_avg_sq", slot.V, path);
            }
            StepCount = step.to_type(ScalarType.Int64).item<long>();
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    private static void CopyPacked(Dictionary<string, Tensor> loaded, string key, Tensor target, string path)
    {
        if (!loaded.TryGetValue(key, out var value))
            throw new BadInputException($"{path}: no '{key}'; the state belongs to other LoRA tensors");
        if (value.numel() != target.numel() || value.dim() != 1)
            throw new BadInputException($"{path}: '{key}' holds {value.numel()} elements but the mask activates {target.numel()}; the state belongs to a different mask");
        using var noGrad = no_grad();
        target.copy_(value);
    }

    public void Dispose()
    {
        foreach (var slot in slots.Values)
        {
            slot.M.Dispose();
            slot.V.Dispose();
            slot.Index?.Dispose();
        }
        slots.Clear();
    }

    /// <summary>One optimized tensor: the parameter, its packed moments (active), and the active flat positions (null: all).</summary>
    private sealed record Slot(Parameter P, Tensor M, Tensor V, Tensor? Index);

    /// <summary>The AdamW update of one step, in torch.optim.AdamW's order, applied in place to packed values.</summary>
    private readonly record struct UpdateRule(double Beta1, double Beta2, double Eps, double Decay, double BiasCorrection2Sqrt, double StepSize)
    {
        public void Apply(Tensor w, Tensor g, Tensor m, Tensor v)
        {
            using Scalar decay = Decay, beta1 = Beta1, rest1 = 1 - Beta1, beta2 = Beta2, rest2 = 1 - Beta2;
            using Scalar correction = BiasCorrection2Sqrt, eps = Eps, one = 1, step = -StepSize;
            w.mul_(decay);                                            // decoupled weight decay
            m.mul_(beta1).add_(g, alpha: rest1);
            v.mul_(beta2).addcmul_(g, g, value: rest2);
            using var denom = v.sqrt();
            denom.div_(correction).add_(eps, one);
            w.addcdiv_(m, denom, value: step);
        }
    }
}
