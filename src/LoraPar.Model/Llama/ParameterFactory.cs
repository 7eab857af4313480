using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>
/// Creates parameters without initialising them (<c>torch.empty</c>): a checkpoint or an initialiser fills them, so a 7B
/// model is never initialised twice. Parameters are detached from any dispose scope: they live as long as their module.
/// </summary>
public static class ParameterFactory
{
    /// <summary>An uninitialised parameter of <paramref name="shape"/>.</summary>
    public static Parameter Empty(long[] shape, ScalarType dtype, Device device) =>
        new(torch.empty(shape, dtype, device).DetachFromDisposeScope(), requires_grad: true);

    /// <summary>A linear layer y = x Wᵀ (+ b) with W (out, in), uninitialised.</summary>
    public static Linear Linear(long inFeatures, long outFeatures, bool bias, ScalarType dtype, Device device) =>
        nn.Linear(Empty([outFeatures, inFeatures], dtype, device), bias ? Empty([outFeatures], dtype, device) : null);
}
