using LoraPar.Method.Importance;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Partition;

/// <summary>
/// Seeded synthetic importance for a tiny QKVOGUD adapter (hidden d, MLP width m, rank r): log-normal scores whose two
/// systems share a common component (correlated, like Figure 4), with per-module scales so that breakdowns differ.
/// Uses System.Random, whose seeded sequence is fixed across .NET versions and CPUs.
/// </summary>
internal static class SyntheticScores
{
    private static readonly (string Path, string Leaf, double Scale1, double Scale2)[] Modules =
    [
        ("self_attn", "q_proj", 1.0, 0.6), ("self_attn", "k_proj", 0.8, 0.5), ("self_attn", "v_proj", 1.5, 1.2),
        ("self_attn", "o_proj", 1.2, 1.0), ("mlp", "gate_proj", 0.7, 1.4), ("mlp", "up_proj", 0.9, 1.6), ("mlp", "down_proj", 1.1, 2.0),
    ];

    public static ImportanceScores Create(int seed, int layers = 2, int hidden = 32, int mlp = 64, int rank = 4)
    {
        var random = new Random(seed);
        var s1 = new Dictionary<string, Tensor>();
        var s2 = new Dictionary<string, Tensor>();
        using var scope = NewDisposeScope();
        for (var layer = 0; layer < layers; layer++)
            foreach (var (path, leaf, scale1, scale2) in Modules)
            {
                var (inFeatures, outFeatures) = leaf switch
                {
                    "gate_proj" or "up_proj" => (hidden, mlp),
                    "down_proj" => (mlp, hidden),
                    _ => (hidden, hidden),
                };
                var module = $"model.layers.{layer}.{path}.{leaf}";
                foreach (var (factor, shape) in new[] { ("lora_A", new long[] { rank, inFeatures }), ("lora_B", new long[] { outFeatures, rank }) })
                {
                    var count = (int)(shape[0] * shape[1]);
                    var (a, b) = (new float[count], new float[count]);
                    for (var i = 0; i < count; i++)
                    {
                        var common = Gaussian(random);
                        a[i] = (float)(scale1 * Math.Exp(1.5 * (0.6 * common + 0.8 * Gaussian(random))));
                        b[i] = (float)(scale2 * Math.Exp(1.5 * (0.6 * common + 0.8 * Gaussian(random))));
                    }
                    s1[$"{module}.{factor}"] = tensor(a).reshape(shape);   // (count,) -> (r, in) or (out, r)
                    s2[$"{module}.{factor}"] = tensor(b).reshape(shape);   // (count,) -> (r, in) or (out, r)
                }
            }
        return new ImportanceScores(s1, s2);
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
