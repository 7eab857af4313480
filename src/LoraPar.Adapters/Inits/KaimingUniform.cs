using static TorchSharp.torch;

namespace LoraPar.Adapters.Inits;

/// <summary>
/// <c>torch.nn.init.kaiming_uniform_(w, a)</c> with fan-in mode and the leaky-ReLU gain, drawn from an explicit generator
/// (TorchSharp's version takes none): bound = √3 · √(2 / (1 + a²)) / √fan_in, w ~ U(−bound, bound).
/// </summary>
public static class KaimingUniform
{
    /// <summary>The uniform bound for fan-in <paramref name="fanIn"/> and negative slope <paramref name="a"/>; a = √5 gives 1/√fan_in.</summary>
    public static double Bound(long fanIn, double a)
    {
        if (fanIn <= 0) throw new ArgumentOutOfRangeException(nameof(fanIn), fanIn, "fan-in must be positive");
        var gain = Math.Sqrt(2.0 / (1 + a * a));
        var std = gain / Math.Sqrt(fanIn);
        return Math.Sqrt(3.0) * std;
    }

    /// <summary>Fills <paramref name="weight"/> (out, in) in place; fan-in is its second dimension.</summary>
    public static Tensor Fill(Tensor weight, double a, Generator generator)
    {
        var bound = Bound(weight.shape[1], a);
        using var _ = no_grad();
        return weight.uniform_(-bound, bound, generator);
    }
}
