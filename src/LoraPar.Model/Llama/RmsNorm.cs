using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>Root-mean-square layer norm: y = x / sqrt(mean(x²) + ε) · weight, computed in float32 as HF does.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    public readonly Parameter weight;

    /// <summary>The ε added to the mean square.</summary>
    public double Eps { get; }

    public RmsNorm(long size, double eps, ScalarType dtype, Device device) : base(nameof(RmsNorm))
    {
        weight = ParameterFactory.Empty([size], dtype, device);
        Eps = eps;
        RegisterComponents();
    }

    /// <summary>Normalises the last dimension of <paramref name="x"/> (…, d).</summary>
    public override Tensor forward(Tensor x)
    {
        var dtype = x.dtype;
        var x32 = dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);
        var inverseRms = x32.square().mean([-1], keepdim: true).add_(Eps).rsqrt_();  // (…, 1)
        var normed = x32 * inverseRms;                                                 // (…, d)
        if (dtype != ScalarType.Float32) normed = normed.to(dtype);
        return torch.is_grad_enabled() ? normed * weight : normed.mul_(weight);
    }
}
