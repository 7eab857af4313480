using LoraPar.Adapters;
using LoraPar.Model.Llama;
using LoraPar.Model.Objectives;
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
    /// <summary>
    /// The strategy for <paramref name="path"/> on <paramref name="model"/> with <paramref name="adapters"/>; the batched path
    /// captures its layers in <paramref name="form"/> (by default <see cref="LoraCaptureForms.For"/> each base weight's dtype).
    /// </summary>
    public static IPerExampleGradientPath Create(GradientPath path, LlamaForCausalLM model, LoraAdapterSet adapters, int batchSize,
        LoraCaptureForm? form = null) => path switch
    {
        GradientPath.Batched => new BatchedGradientPath(model, adapters, batchSize, form),
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
