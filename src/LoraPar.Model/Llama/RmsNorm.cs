using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LoraPar.Model.Runtime;
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
        if (IsSingleRow(x)) return NormalizeRow(x);
        var dtype = x.dtype;
        var x32 = dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);
        var inverseRms = x32.Squared().mean([-1], keepdim: true).PlusInPlace(Eps).rsqrt_();  // (…, 1)
        var normed = x32 * inverseRms;                                                 // (…, d)
        if (dtype != ScalarType.Float32) normed = normed.to(dtype);
        return torch.is_grad_enabled() ? normed * weight : normed.mul_(weight);
    }

    /// <summary>
    /// y = x / sqrt(mean(x²) + ε) · w for one float32 row (the batch-1 decoding case), in one pass over
    /// <paramref name="x"/> instead of six tensor ops.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NormalizeRow(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, double eps)
    {
        var squares = Vector256<float>.Zero;
        var i = 0;
        for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
        {
            var v = Vector256.Create(x.Slice(i, Vector256<float>.Count));
            squares += v * v;
        }
        var sum = Vector256.Sum(squares);
        for (; i < x.Length; i++) sum += x[i] * x[i];
        var inverseRms = 1f / MathF.Sqrt(sum / x.Length + (float)eps);
        for (var j = 0; j < x.Length; j++) y[j] = x[j] * inverseRms * w[j];
    }

    private bool IsSingleRow(Tensor x) =>
        x.numel() == weight.shape[0] && x.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32
        && x.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU && weight.is_contiguous()
        && !(torch.is_grad_enabled() && (x.requires_grad || weight.requires_grad));

    private Tensor NormalizeRow(Tensor x)
    {
        using var input = x.is_contiguous() ? x.alias() : x.contiguous();
        var y = torch.empty(x.shape, ScalarType.Float32, x.device);                  // (…, d), one row
        NormalizeRow(Floats(input), Floats(weight), Floats(y), Eps);
        return y;
    }

    private static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);
}
