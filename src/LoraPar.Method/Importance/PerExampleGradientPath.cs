using LoraPar.Adapters;
using LoraPar.Model.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>How per-example LoRA gradients are obtained while scoring.</summary>
public enum GradientPath
{
    /// <summary>One forward and one backward per batch; each example's gradients from captured x, h and ∂L/∂y (the default).</summary>
    Batched,

    /// <summary>The slow reference: one forward and one backward per example, gradients straight from autograd on the LoRA parameters.</summary>
    PerExampleLoop,
}

/// <summary>
/// A way of getting per-example gradients ∂Lₖ/∂φ of the answer-only loss for every LoRA tensor: a strategy chosen by
/// <see cref="GradientPath"/>. Creating one prepares the model (swaps in capturing wrappers, or makes the LoRA parameters
/// require grad); disposing it restores the model exactly.
/// </summary>
public interface IPerExampleGradientPath : IDisposable
{
    /// <summary>How many examples go into one forward pass at most.</summary>
    int BatchSize { get; }

    /// <summary>
    /// Per-example gradients of the examples of <paramref name="batch"/>, keyed <c>{path}.lora_A/B</c>, each (B, ...shape of
    /// the LoRA tensor). The tensors belong to the caller's dispose scope.
    /// </summary>
    Dictionary<string, Tensor> Gradients(AnswerBatch batch);
}

/// <summary>Creates the <see cref="IPerExampleGradientPath"/> of a <see cref="GradientPath"/>.</summary>
public static class GradientPaths
{
    /// <summary>The strategy for <paramref name="path"/> on <paramref name="model"/> with <paramref name="adapters"/>.</summary>
    public static IPerExampleGradientPath Create(GradientPath path, LlamaForCausalLM model, LoraAdapterSet adapters, int batchSize) => path switch
    {
        GradientPath.Batched => new BatchedGradientPath(model, adapters, batchSize),
        GradientPath.PerExampleLoop => new PerExampleLoopGradientPath(model, adapters),
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "unknown gradient path"),
    };

    /// <summary>The per-example answer-only losses (B) of one forward pass over <paramref name="batch"/>.</summary>
    internal static Tensor Losses(LlamaForCausalLM model, AnswerBatch batch)
    {
        var logits = model.Forward(new CausalLMInput(batch.InputIds));   // (B, T, V)
        return AnswerOnlyLoss.PerExample(logits, batch.Labels);          // (B)
    }

    /// <summary><paramref name="gradient"/>, or zeros like <paramref name="like"/> where autograd reports the input unused.</summary>
    internal static Tensor OrZeros(Tensor? gradient, Tensor like) =>
        gradient is null || gradient.IsInvalid ? zeros_like(like) : gradient;
}

/// <summary>
/// <see cref="GradientPath.Batched"/>: the adapters are swapped for <see cref="CapturingLoraLinear"/> wrappers; per batch,
/// one forward, one <c>autograd.grad(Σₖ Lₖ, [y of every layer])</c>, then <see cref="PerExampleLoraGradients.Compute"/>.
/// </summary>
internal sealed class BatchedGradientPath(LlamaForCausalLM model, LoraAdapterSet adapters, int batchSize) : IPerExampleGradientPath
{
    private readonly LoraCaptureSession session = new(model, adapters);

    public int BatchSize { get; } = batchSize;

    public Dictionary<string, Tensor> Gradients(AnswerBatch batch)
    {
        session.Clear();
        var losses = GradientPaths.Losses(model, batch);                                   // (B)
        var captures = session.Layers.Select(l => l.Layer.Last
            ?? throw new InvalidOperationException($"the LoRA layer '{l.Path}' took no part in the forward pass")).ToList();
        var outputGradients = torch.autograd.grad([losses.sum()], captures.Select(c => c.Output).ToList(), allow_unused: true);
        var result = new Dictionary<string, Tensor>();
        for (var i = 0; i < captures.Count; i++)
        {
            var (path, layer) = session.Layers[i];
            var gy = GradientPaths.OrZeros(outputGradients[i], captures[i].Output);         // (B, T, out)
            var pair = PerExampleLoraGradients.Compute(captures[i].Input, captures[i].Rank, gy, layer.B, layer.Scaling);
            foreach (var (key, gradient) in pair.Keyed(path)) result[key] = gradient;    // (B, r, in) and (B, out, r)
        }
        session.Clear();
        return result;
    }

    public void Dispose() => session.Dispose();
}

/// <summary>
/// <see cref="GradientPath.PerExampleLoop"/>: the model as it is (the real <see cref="LoraLinear"/> modules); per example,
/// one forward and one <c>autograd.grad(Lₖ, [every LoRA parameter])</c>. The parameters require grad for the duration.
/// </summary>
internal sealed class PerExampleLoopGradientPath : IPerExampleGradientPath
{
    private readonly LlamaForCausalLM model;
    private readonly IReadOnlyList<(string Key, TorchSharp.Modules.Parameter Tensor, bool RequiredGrad)> parameters;

    public PerExampleLoopGradientPath(LlamaForCausalLM model, LoraAdapterSet adapters)
    {
        foreach (var (path, layer) in adapters.Layers)
            if (layer.Merged || !layer.Enabled)
                throw new InvalidOperationException($"cannot score the LoRA layer '{path}': it is {(layer.Merged ? "merged" : "disabled")}");
        this.model = model;
        parameters = adapters.Tensors.Select(kv => (kv.Key, kv.Value, kv.Value.requires_grad)).ToList();
        foreach (var p in parameters) p.Tensor.requires_grad = true;
    }

    public int BatchSize => 1;

    public Dictionary<string, Tensor> Gradients(AnswerBatch batch)
    {
        if (batch.Size != 1) throw new ArgumentException($"the per-example loop takes one example at a time, got {batch.Size}", nameof(batch));
        var loss = GradientPaths.Losses(model, batch).sum();
        var tensors = parameters.Select(p => (Tensor)p.Tensor).ToList();
        var gradients = torch.autograd.grad([loss], tensors, allow_unused: true);
        var result = new Dictionary<string, Tensor>();
        for (var i = 0; i < parameters.Count; i++)
            result[parameters[i].Key] = GradientPaths.OrZeros(gradients[i], tensors[i]).unsqueeze(0);   // (1, ...shape)
        return result;
    }

    public void Dispose()
    {
        foreach (var p in parameters) p.Tensor.requires_grad = p.RequiredGrad;
    }
}
