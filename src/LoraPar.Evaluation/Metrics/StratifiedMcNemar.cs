namespace LoraPar.Evaluation.Metrics;

/// <summary>
/// Paired changes pooled over strata, e.g. the per-seed McNemar tables of one comparison across the seeds of a sweep. Each
/// question of each seed is a matched pair; with every pair its own stratum, the Cochran–Mantel–Haenszel statistic reduces to
/// (Σ gained − Σ lost)² / Σ (gained + lost) and its exact form to McNemar's exact test on the pooled discordant counts, so the
/// strata may differ in size and in their questions. The Mantel–Haenszel common odds ratio of matched pairs is Σ gained / Σ lost,
/// with a 95% interval from the Wilson interval of Σ gained / Σ (gained + lost).
/// </summary>
/// <param name="Strata">How many tables were pooled.</param>
/// <param name="Gained">Σ gained: pairs right only in the second of the two evaluations compared.</param>
/// <param name="Lost">Σ lost: pairs right only in the first.</param>
/// <param name="PValue">The exact two-sided p of the pooled split (1 when no pair is discordant).</param>
/// <param name="ChiSquare">The CMH statistic without continuity correction (0 when no pair is discordant).</param>
/// <param name="OddsRatio">Σ gained / Σ lost (∞ when nothing was lost, NaN when nothing changed).</param>
/// <param name="OddsLower">Lower end of the odds ratio's 95% interval.</param>
/// <param name="OddsUpper">Upper end of the odds ratio's 95% interval (∞ when the interval reaches every pair gained).</param>
public sealed record StratifiedMcNemar(int Strata, int Gained, int Lost, double PValue, double ChiSquare, double OddsRatio,
    double OddsLower, double OddsUpper)
{
    /// <summary>The pooled test over <paramref name="strata"/> (pure).</summary>
    public static StratifiedMcNemar Of(IReadOnlyList<PairedChange> strata)
    {
        int gained = strata.Sum(s => s.Gained), lost = strata.Sum(s => s.Lost), discordant = gained + lost;
        if (discordant == 0) return new StratifiedMcNemar(strata.Count, 0, 0, 1, 0, double.NaN, double.NaN, double.NaN);
        var share = WilsonInterval.Of(gained, discordant);
        var chi = (double)(gained - lost) * (gained - lost) / discordant;
        return new StratifiedMcNemar(strata.Count, gained, lost, PairedChange.ExactPValue(gained, lost), chi,
            Odds(share.Estimate), Odds(share.Lower), Odds(share.Upper));
    }

    private static double Odds(double share) => share >= 1 ? double.PositiveInfinity : share / (1 - share);
}
