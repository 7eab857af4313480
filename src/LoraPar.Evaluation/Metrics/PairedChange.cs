namespace LoraPar.Evaluation.Metrics;

/// <summary>
/// How one evaluation of a question set changed into another of the same questions: the questions that became right
/// (<paramref name="Gained"/>), those that became wrong (<paramref name="Lost"/>), and McNemar's exact two-sided p-value —
/// the chance, were neither model better, of a split between gained and lost at least this uneven. Two accuracies on 100
/// questions that differ by a few points say little; this says whether the change is more than noise.
/// </summary>
/// <param name="Gained">Questions wrong before and right after.</param>
/// <param name="Lost">Questions right before and wrong after.</param>
/// <param name="PValue">McNemar's exact two-sided p-value (1 when nothing changed).</param>
public sealed record PairedChange(int Gained, int Lost, double PValue)
{
    /// <summary>The change over the questions both <paramref name="before"/> and <paramref name="after"/> graded (by id).</summary>
    public static PairedChange Of(IReadOnlyDictionary<string, bool> before, IReadOnlyDictionary<string, bool> after)
    {
        int gained = 0, lost = 0;
        foreach (var (id, right) in after)
        {
            if (!before.TryGetValue(id, out var wasRight) || wasRight == right) continue;
            if (right) gained++;
            else lost++;
        }
        return new PairedChange(gained, lost, ExactPValue(gained, lost));
    }

    /// <summary>
    /// McNemar's exact test on the discordant pairs: 2·P(X ≤ min(gained, lost)) for X ~ Binomial(gained + lost, ½), capped at
    /// 1. Summed in log space, so large counts do not underflow.
    /// </summary>
    public static double ExactPValue(int gained, int lost)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gained);
        ArgumentOutOfRangeException.ThrowIfNegative(lost);
        int n = gained + lost, k = Math.Min(gained, lost);
        if (n == 0) return 1.0;
        var logHalfPower = n * Math.Log(0.5);
        double logChoose = 0, sum = 0;                                   // log C(n, 0) = 0
        for (var i = 0; i <= k; i++)
        {
            if (i > 0) logChoose += Math.Log((double)(n - i + 1) / i);
            sum += Math.Exp(logChoose + logHalfPower);
        }
        return Math.Min(1.0, 2 * sum);
    }
}
