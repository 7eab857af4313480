using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Tests.Llama;

/// <summary>A projection wrapper that multiplies the wrapped projection's output (a stand-in for an adapter: it keeps a block unfused).</summary>
internal sealed class ScaledProjection : nn.Module<Tensor, Tensor>
{
    public readonly nn.Module<Tensor, Tensor> inner;
    private readonly double _factor;

    public ScaledProjection(nn.Module<Tensor, Tensor> inner, double factor) : base("scaled")
    {
        this.inner = inner;
        _factor = factor;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => inner.call(x) * _factor;
}
