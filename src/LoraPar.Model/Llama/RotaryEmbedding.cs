using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>
/// Rotary position embedding (RoPE) in the HF "rotate half" layout: the head vector is split into halves (x₁, x₂) and
/// rotated as (x₁ cos − x₂ sin, x₂ cos + x₁ sin), angle = position · inv_freq, with inv_freq from rope_theta and
/// optional rope_scaling. Angles are computed in float32 per forward pass (a few ops on (B, T, D)) and cast to the activations' dtype.
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly float[] _inverseFrequencies;
    private (Tensor Frequencies, Tensor Signs)? _onDevice;

    public RotaryEmbedding(LlamaConfig config) =>
        _inverseFrequencies = InverseFrequencies(config).Select(f => (float)f).ToArray();

    /// <summary>Size of the rotated head vector.</summary>
    public int HeadDim => 2 * _inverseFrequencies.Length;

    /// <summary>inv_freq_i = θ^(−2i/D), i &lt; D/2, then rescaled by <see cref="LlamaConfig.RopeScaling"/>.</summary>
    public static double[] InverseFrequencies(LlamaConfig config)
    {
        var dim = config.HeadDim;
        var frequencies = Enumerable.Range(0, dim / 2).Select(i => 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / dim)).ToArray();
        return config.RopeScaling is { } scaling ? frequencies.Select(f => Rescale(f, scaling)).ToArray() : frequencies;
    }

    /// <summary>
    /// One frequency under <paramref name="s"/>. Linear: f / factor. LLaMA-3: wavelengths shorter than
    /// L/high_freq_factor keep f, longer than L/low_freq_factor get f / factor, and those between blend the two linearly
    /// in L/λ (L = original_max_position_embeddings, λ = 2π/f).
    /// </summary>
    public static double Rescale(double f, RopeScaling s)
    {
        if (s.Kind == RopeScalingKind.Linear) return f / s.Factor;
        var wavelength = 2 * Math.PI / f;
        var highWavelength = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        var lowWavelength = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        if (wavelength < highWavelength) return f;
        if (wavelength > lowWavelength) return f / s.Factor;
        var smooth = (s.OriginalMaxPositionEmbeddings / wavelength - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        return (1 - smooth) * f / s.Factor + smooth * f;
    }

    /// <summary>
    /// cos and the sign-folded sin for <paramref name="positionIds"/> (B, T): both (B, T, 1, D) in <paramref name="dtype"/>,
    /// where sinSigned = (−sin, sin) over the two halves so that <see cref="Apply"/> needs no negation.
    /// </summary>
    public (Tensor Cos, Tensor SinSigned) Angles(Tensor positionIds, ScalarType dtype)
    {
        var (frequencies, signs) = Constants(positionIds.device);
        var angles = positionIds.to(ScalarType.Float32).unsqueeze(-1) * frequencies;                  // (B, T, D): each half = position · inv_freq
        var cos = angles.cos();                                                                         // (B, T, D)
        var sinSigned = angles.sin_().mul_(signs);                                                      // (B, T, D)
        return (InType(cos, dtype).unsqueeze(2), InType(sinSigned, dtype).unsqueeze(2));               // (B, T, 1, D)
    }

    /// <summary>Rotates <paramref name="x"/> (B, T, H, D): x·cos + roll(x, D/2)·sinSigned = x·cos + rotate_half(x)·sin.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sinSigned)
    {
        using Scalar one = 1;
        return x.mul(cos).addcmul_(x.roll(x.shape[^1] / 2, -1), sinSigned, one);                        // (B, T, H, D)
    }

    private static Tensor InType(Tensor t, ScalarType dtype) => t.dtype == dtype ? t : t.to(dtype);

    /// <summary>The frequencies repeated over both halves (D) and the signs (−1 on the first half, +1 on the second), on <paramref name="device"/>.</summary>
    private (Tensor Frequencies, Tensor Signs) Constants(Device device)
    {
        if (_onDevice is null || _onDevice.Value.Frequencies.device.type != device.type || _onDevice.Value.Frequencies.device.index != device.index)
        {
            _onDevice?.Frequencies.Dispose();
            _onDevice?.Signs.Dispose();
            var half = _inverseFrequencies.Length;
            var frequencies = torch.tensor(_inverseFrequencies.Concat(_inverseFrequencies).ToArray(), device: device).DetachFromDisposeScope();  // (D)
            var signs = torch.tensor(Enumerable.Range(0, 2 * half).Select(i => i < half ? -1f : 1f).ToArray(), device: device).DetachFromDisposeScope();  // (D)
            _onDevice = (frequencies, signs);
        }
        return _onDevice.Value;
    }
}
