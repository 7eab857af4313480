using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Stages.Scores;

/// <summary>
/// What the scores stage keeps for the estimator ablation (issue 24): the scoring moments with φ
/// (<see cref="ImportanceMoments.FileName"/>, from which the masks stage computes any <see cref="ImportanceEstimator"/>) and
/// the estimators' rank agreement (<see cref="EstimatorAgreement.FileName"/>, and pooled ρ with the second-order score as metrics).
/// </summary>
public static class EstimatorEvidence
{
    /// <summary>
    /// The scores stage's reads of <c>[importance]</c>: every key but <c>estimator</c>, which only the masks stage uses — so a
    /// sweep over estimators shares one scoring, and the default manifest's scores key is the same as before the key existed.
    /// </summary>
    public static IEnumerable<string> ScoringReads() =>
        SettingsBinder.SettableProperties(typeof(ImportanceScorerOptions)).Select(SettingsBinder.KeyOf)
            .Where(k => k != "estimator").Select(k => "importance." + k);

    /// <summary>Writes the moments and <c>estimators.json</c> into the stage's folder; returns the metrics to add.</summary>
    public static Dictionary<string, double> Write(StageContext context, ImportanceMoments moments)
    {
        moments.Save(context.OutputPath(ImportanceMoments.FileName));
        var agreement = EstimatorAgreement.Compute(moments, context.Manifest.Seed);
        agreement.Write(context.OutputPath(EstimatorAgreement.FileName));
        var metrics = new Dictionary<string, double>();
        foreach (var system in ReasoningSystemNames.All)
            foreach (var estimator in Enum.GetValues<ImportanceEstimator>().Skip(1).Where(e => !double.IsNaN(agreement.WithSecondOrder(system, e))))
                metrics[$"spearman_{KebabCase.From(estimator.ToString()).Replace('-', '_')}_{system.KeyPrefix()}"] =
                    agreement.WithSecondOrder(system, estimator);
        context.Log("importance: Spearman ρ with the second-order score, pooled: " + string.Join(", ", metrics.Select(kv =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{kv.Key[9..]} {kv.Value:F3}"))));
        return metrics;
    }
}
