using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>
/// Rotary position embedding (RoPE) in the HF "rotate half" layout: the head vector is split into halves (x₁, x₂) and
/// rotated as (x₁ cos − x₂ sin, x₂ cos + x₁ sin), angle = position · inv_freq, with inv_freq from rope_theta and
/// optional rope_scaling. Angles are computed in float32 per forward pass and cast to the activations' dtype.
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly float[] _inverseFrequencies;
    private Tensor? _onDevice;

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
        var angles = positionIds.to(ScalarType.Float32).unsqueeze(-1) * InverseFrequencyTensor(positionIds.device);  // (B, T, D/2)
        var sin = angles.sin();                                                                         // (B, T, D/2)
        var halfCos = angles.cos();                                                                     // (B, T, D/2)
        var cos = torch.cat([halfCos, halfCos], -1);                                                    // (B, T, D)
        var sinSigned = torch.cat([sin.neg(), sin], -1);                                                // (B, T, D)
        return (cos.to(dtype).unsqueeze(2), sinSigned.to(dtype).unsqueeze(2));                          // (B, T, 1, D)
    }

    /// <summary>Rotates <paramref name="x"/> (B, T, H, D): x·cos + roll(x, D/2)·sinSigned = x·cos + rotate_half(x)·sin.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sinSigned) =>
        x.mul(cos).addcmul_(x.roll(x.shape[^1] / 2, -1), sinSigned, 1);                                // (B, T, H, D)

    private Tensor InverseFrequencyTensor(Device device)
    {
        if (_onDevice is null || _onDevice.device.type != device.type || _onDevice.device.index != device.index)
        {
            _onDevice?.Dispose();
            _onDevice = torch.tensor(_inverseFrequencies, device: device).DetachFromDisposeScope();  // (D/2)
        }
        return _onDevice;
    }
}
