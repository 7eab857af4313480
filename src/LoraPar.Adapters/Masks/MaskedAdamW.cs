using LoraPar.Core;
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
/// Frozen elements are never written (the update is gathered with <c>masked_select</c> and written back with
/// <c>masked_scatter_</c>), so they stay bit-identical for any number of steps — weight decay included. Tensors without a
/// gradient are skipped, as in torch.
/// </summary>
public sealed class MaskedAdamW : IDisposable
{
    private const string StepKey = "step";
    private readonly IReadOnlyDictionary<string, Parameter> parameters;
    private readonly LoraMaskSet masks;
    private readonly Dictionary<string, (Tensor M, Tensor V)> state = [];

    /// <summary>
    /// Optimizes <paramref name="parameters"/> (keys as the masks'); <paramref name="masks"/> must live on the parameters'
    /// device and stays owned by the caller.
    /// </summary>
    public MaskedAdamW(IReadOnlyDictionary<string, Parameter> parameters, LoraMaskSet masks, AdamWOptions options)
    {
        masks.CheckMatches(parameters, "masked AdamW");
        this.parameters = parameters;
        this.masks = masks;
        Options = options;
        LearningRate = options.LearningRate;
        foreach (var (key, p) in parameters)
        {
            var active = masks.ActiveCounts[key];
            state[key] = (zeros(active, dtype: p.dtype, device: p.device), zeros(active, dtype: p.dtype, device: p.device)); // (active), (active)
        }
    }

    /// <summary>The hyper-parameters (the learning rate in them is the initial one).</summary>
    public AdamWOptions Options { get; }

    /// <summary>The learning rate of the next step; a scheduler sets it before each step.</summary>
    public double LearningRate { get; set; }

    /// <summary>Steps taken (bias correction uses it).</summary>
    public long StepCount { get; private set; }

    /// <summary>Number of elements the optimizer updates (active elements over all tensors).</summary>
    public long TrainableElements => masks.TotalActive;

    /// <summary>Bytes of optimizer state: the packed first and second moments, 2 × active × element size.</summary>
    public long StateBytes => state.Values.Sum(s => s.M.numel() * s.M.ElementSize + s.V.numel() * s.V.ElementSize);

    /// <summary>Takes one AdamW step on the active elements of every tensor that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        var (beta1, beta2) = (Options.Beta1, Options.Beta2);
        var biasCorrection1 = 1 - Math.Pow(beta1, StepCount);
        var biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, StepCount));
        var stepSize = LearningRate / biasCorrection1;
        var decay = 1 - LearningRate * Options.WeightDecay;
        using var noGrad = no_grad();
        foreach (var (key, p) in parameters)
        {
            var (m, v) = state[key];
            if (m.numel() == 0) continue;
            using var scope = NewDisposeScope();
            var grad = p.grad;
            if (grad is null) continue;
            var mask = masks.Masks[key];
            var g = grad.masked_select(mask);                         // (active)
            var w = p.detach().masked_select(mask);                   // (active)
            w.mul_(decay);
            m.mul_(beta1).add_(g, alpha: 1 - beta1);
            v.mul_(beta2).addcmul_(g, g, value: 1 - beta2);
            var denom = v.sqrt().div_(biasCorrection2Sqrt).add_(Options.Eps);
            w.addcdiv_(m, denom, value: -stepSize);
            p.detach().masked_scatter_(mask, w);
        }
    }

    /// <summary>Clears the gradients of the optimized tensors.</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters.Values)
        {
            using var grad = p.grad;
            grad?.zero_();
        }
    }

    /// <summary>Writes the step count and the packed moments (<c>{key}.exp_avg</c>, <c>{key}.exp_avg_sq</c>) as safetensors, atomically.</summary>
    public void SaveState(string path)
    {
        var entries = new List<KeyValuePair<string, Tensor>> { new(StepKey, tensor(new[] { StepCount })) };
        foreach (var key in state.Keys.Order(StringComparer.Ordinal))
        {
            entries.Add(new(key + ".exp_avg", state[key].M));
            entries.Add(new(key + ".exp_avg_sq", state[key].V));
        }
        SafetensorsFile.Write(path, entries);
        entries[0].Value.Dispose();
    }

    /// <summary>Restores a state written by <see cref="SaveState"/> for the same tensors and masks, for an exact resume.</summary>
    public void LoadState(string path)
    {
        var loaded = SafetensorsFile.Read(path);
        try
        {
            if (!loaded.TryGetValue(StepKey, out var step) || step.numel() != 1)
                throw new BadInputException($"{path}: no '{StepKey}' entry; this is not a masked AdamW state file");
            foreach (var (key, (m, v)) in state)
            {
                CopyPacked(loaded, key + ".exp_avg", m, path);
                CopyPacked(loaded, key + ".exp_avg_sq", v, path);
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
        foreach (var (m, v) in state.Values)
        {
            m.Dispose();
            v.Dispose();
        }
        state.Clear();
    }
}
