using LoraPar.Adapters;
using LoraPar.Method.Importance;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>
/// <c>[sweep]</c>: a grid. Every non-empty list is one axis; the manifest expands to one run per combination, and runs share
/// every stage whose inputs the axes do not touch (e.g. Table 2's α/β grid shares data, labels and scores).
/// </summary>
public sealed record SweepSection
{
    /// <summary>Top-level seed values: replicates of every other point, pooled by the sweep report.</summary>
    public IReadOnlyList<long> Seed { get; init; } = [];

    /// <summary>partition.theta values.</summary>
    public IReadOnlyList<double> Theta { get; init; } = [];

    /// <summary>partition.alpha values.</summary>
    public IReadOnlyList<double> Alpha { get; init; } = [];

    /// <summary>partition.beta values.</summary>
    public IReadOnlyList<double> Beta { get; init; } = [];

    /// <summary>partition.selection values (e.g. importance and random for Table 3's "Rand." column).</summary>
    public IReadOnlyList<MaskStrategy> Selection { get; init; } = [];

    /// <summary>lora.init values.</summary>
    public IReadOnlyList<LoraInit> Init { get; init; } = [];

    /// <summary>lora.targets values (presets such as qkv / gud / qkvgud, or comma-separated module names).</summary>
    public IReadOnlyList<LoraTargets> Modules { get; init; } = [];

    /// <summary>Top-level method values.</summary>
    public IReadOnlyList<TrainingMethod> Method { get; init; } = [];

    /// <summary>importance.estimator values (the estimator ablation; runs share the scores stage).</summary>
    public IReadOnlyList<ImportanceEstimator> Estimator { get; init; } = [];

    /// <summary>Whether no axis is set.</summary>
    public bool IsEmpty => Seed.Count + Theta.Count + Alpha.Count + Beta.Count + Selection.Count + Init.Count + Modules.Count + Method.Count + Estimator.Count == 0;

    private static IReadOnlyList<LoraTargets> Targets(SectionReader r)
    {
        var targets = new List<LoraTargets>();
        foreach (var text in r.StringList("modules", []))
        {
            try { targets.Add(LoraTargets.FromSetting([text])); }
            catch (LoraPar.Core.BadInputException e) { r.Error("modules", e.Message); }
        }
        return targets;
    }

    internal static SweepSection Read(SectionReader r)
    {
        var d = new SweepSection();
        var section = new SweepSection
        {
            Seed = r.IntList("seed", [], NumberRange.NonNegative, ListRules.Distinct).Select(v => (long)v).ToList(),
            Theta = r.DoubleList("theta", d.Theta, NumberRange.UnitOpenBelow),
            Alpha = r.DoubleList("alpha", d.Alpha, NumberRange.Unit),
            Beta = r.DoubleList("beta", d.Beta, NumberRange.Unit),
            Selection = r.EnumList("selection", d.Selection),
            Init = r.EnumList("init", d.Init),
            Modules = Targets(r),
            Method = r.EnumList("method", d.Method),
            Estimator = r.EnumList("estimator", d.Estimator),
        };
        r.Finish();
        return section;
    }
}
