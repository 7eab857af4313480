using LoraPar.Model.Llama;
using TorchSharp;

namespace LoraPar.Model.Tests.Llama;

public sealed class RotaryEmbeddingTests : TorchTest
{
    [Fact]
    public void Inverse_frequencies_follow_theta_to_the_minus_2i_over_d()
    {
        var config = TinyModelFactory.Config(10, hidden: 8, heads: 2, kvHeads: 2) with { RopeTheta = 10000 };  // D = 4
        Assert.Equal([1.0, 0.01], RotaryEmbedding.InverseFrequencies(config), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void Llama3_scaling_keeps_high_frequencies_divides_low_ones_and_blends_between()
    {
        var s = new RopeScaling(RopeScalingKind.Llama3, Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalMaxPositionEmbeddings: 8192);
        // wavelength 2π/f: f = 1 → 6.28 < 2048 kept; f = 1e-4 → 62832 > 8192 divided by 8.
        Assert.Equal(1.0, RotaryEmbedding.Rescale(1.0, s));
        Assert.Equal(1e-4 / 8, RotaryEmbedding.Rescale(1e-4, s), 12);
        // λ = 4096: smooth = (8192/4096 − 1)/(4 − 1) = 1/3, f' = (2/3)·f/8 + (1/3)·f.
        var f = 2 * Math.PI / 4096;
        Assert.Equal(2.0 / 3 * f / 8 + f / 3, RotaryEmbedding.Rescale(f, s), 12);
        Assert.Equal(0.5, RotaryEmbedding.Rescale(1.0, new RopeScaling(RopeScalingKind.Linear, 2)));
    }

    [Fact]
    public void Apply_rotates_each_half_pair_by_position_times_frequency()
    {
        var config = TinyModelFactory.Config(10, hidden: 8, heads: 2, kvHeads: 2) with { RopeTheta = 10000 };  // D = 4, f = (1, 0.01)
        var rope = new RotaryEmbedding(config);
        using var positions = torch.tensor(new long[] { 3 }).view(1, 1);
        var (cos, sin) = rope.Angles(positions, torch.ScalarType.Float64);
        using var x = torch.tensor(new[] { 1.0, 2.0, 3.0, 4.0 }).view(1, 1, 1, 4);   // pairs (x0, x2) = (1, 3), (x1, x3) = (2, 4)
        var y = RotaryEmbedding.Apply(x, cos, sin).data<double>().ToArray();
        double a = 3 * 1.0, b = 3 * 0.01;
        double[] expected = [1 * Math.Cos(a) - 3 * Math.Sin(a), 2 * Math.Cos(b) - 4 * Math.Sin(b), 3 * Math.Cos(a) + 1 * Math.Sin(a), 4 * Math.Cos(b) + 2 * Math.Sin(b)];
        Assert.Equal(expected, y, new ToleranceComparer(1e-6));
    }
}

/// <summary>Compares doubles within an absolute tolerance.</summary>
public sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
    public int GetHashCode(double obj) => 0;
}
