namespace LoraPar.Training.Grpo;

/// <summary>Advantages of one batch, with the group statistics they came from.</summary>
/// <param name="Values">One advantage per completion, in the order of the rewards.</param>
/// <param name="GroupMeans">Mean reward of each group (one per prompt).</param>
/// <param name="GroupStds">Unbiased standard deviation of each group's rewards.</param>
/// <param name="FractionZeroStdGroups">Share of groups whose rewards are all equal (advantage 0: no learning signal).</param>
public sealed record AdvantageBatch(double[] Values, double[] GroupMeans, double[] GroupStds, double FractionZeroStdGroups);

/// <summary>
/// Group-relative advantages, as TRL's GRPOTrainer computes them. Rewards come prompt-major: the
/// <c>groupSize</c> completions of prompt 0, then those of prompt 1, and so on. For completion j of group g:
/// <code>
/// A_gj = r_gj − mean_g                           (ScaleRewards.None)
/// A_gj = (r_gj − mean_g) / (std_g + ε)           (ScaleRewards.Group)
/// A_gj = (r_gj − mean_g) / (std_batch + ε)       (ScaleRewards.Batch)
/// </code>
/// with ε = 1e-4. Standard deviations follow TRL, which calls <c>torch.std</c> with its default Bessel correction:
/// std = sqrt(Σ (r − mean)² / (n − 1)) over the group's n = groupSize rewards, or over all rewards of the batch for
/// <see cref="ScaleRewards.Batch"/> (whose centring still uses the group mean). Groups need at least two completions.
/// </summary>
public static class GroupAdvantages
{
    /// <summary>The ε added to the standard deviation.</summary>
    public const double DefaultEpsilon = 1e-4;

    /// <summary>Computes the advantages of a prompt-major batch of rewards.</summary>
    public static AdvantageBatch Compute(IReadOnlyList<double> rewards, int groupSize, ScaleRewards scale, double epsilon = DefaultEpsilon)
    {
        if (groupSize < 2)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "GRPO needs at least 2 completions per prompt to compare them.");
        if (rewards.Count == 0 || rewards.Count % groupSize != 0)
            throw new ArgumentException($"{rewards.Count} rewards do not form whole groups of {groupSize}.", nameof(rewards));
        var groups = rewards.Count / groupSize;
        var means = new double[groups];
        var stds = new double[groups];
        for (var g = 0; g < groups; g++)
        {
            var slice = Slice(rewards, g * groupSize, groupSize);
            means[g] = Mean(slice);
            stds[g] = UnbiasedStd(slice, means[g]);
        }
        var batchStd = UnbiasedStd(rewards, Mean(rewards));
        var values = new double[rewards.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var g = i / groupSize;
            var centred = rewards[i] - means[g];
            values[i] = scale switch
            {
                ScaleRewards.Group => centred / (stds[g] + epsilon),
                ScaleRewards.Batch => centred / (batchStd + epsilon),
                ScaleRewards.None => centred,
                _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, null),
            };
        }
        var zeroStd = stds.Count(s => Math.Abs(s) <= 1e-8) / (double)groups;
        return new AdvantageBatch(values, means, stds, zeroStd);
    }

    /// <summary>The arithmetic mean.</summary>
    public static double Mean(IReadOnlyList<double> values) => values.Sum() / values.Count;

    /// <summary>sqrt(Σ (x − mean)² / (n − 1)): the Bessel-corrected standard deviation (torch.std's default).</summary>
    public static double UnbiasedStd(IReadOnlyList<double> values, double mean)
    {
        if (values.Count < 2) throw new ArgumentException("the unbiased standard deviation needs at least two values", nameof(values));
        var squares = values.Sum(v => (v - mean) * (v - mean));
        return Math.Sqrt(squares / (values.Count - 1));
    }

    private static double[] Slice(IReadOnlyList<double> values, int start, int length)
    {
        var slice = new double[length];
        for (var i = 0; i < length; i++) slice[i] = values[start + i];
        return slice;
    }
}
