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

    /// <summary>
    /// A linear layer y = x Wᵀ (+ b), uninitialised. W has the HF shape (out, in) but is stored transposed — (in, out)
    /// contiguous, strides (1, out) — because CPU GEMV with that layout streams the weights about twice as fast, which
    /// is what batch-1 decoding is bound by; training GEMMs run at the same speed either way. W is therefore not
    /// contiguous: reshape it rather than view it.
    /// </summary>
    public static Linear Linear(long inFeatures, long outFeatures, bool bias, ScalarType dtype, Device device) =>
        nn.Linear(TransposedEmpty(outFeatures, inFeatures, dtype, device), bias ? Empty([outFeatures], dtype, device) : null);

    /// <summary>An uninitialised (rows, columns) parameter stored column-major: a transposed view of a (columns, rows) tensor.</summary>
    public static Parameter TransposedEmpty(long rows, long columns, ScalarType dtype, Device device) =>
        new(torch.empty([columns, rows], dtype, device).t().DetachFromDisposeScope(), requires_grad: true);
}
