using System.Globalization;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Sweeps;

/// <summary>
/// Expands <c>[sweep]</c> into its grid: the Cartesian product of every non-empty axis, in the order seed, θ, α, β, selection,
/// init, modules, method (the last axis varies fastest). Runs that differ only downstream share upstream stage keys, hence artifacts.
/// Each run's report title names the run.
/// </summary>
public static class SweepExpansion
{
    private sealed record Axis(string Name, string Path, IReadOnlyList<(string Text, Func<PipelineManifest, PipelineManifest> Apply)> Values);

    /// <summary>The runs of <paramref name="manifest"/> (one named "default" when it has no sweep).</summary>
    public static IReadOnlyList<RunVariant> Expand(PipelineManifest manifest)
    {
        var cleared = manifest with { Sweep = new SweepSection() };
        var axes = Axes(manifest.Sweep).Where(a => a.Values.Count > 0).ToList();
        if (axes.Count == 0) return [new RunVariant(RunVariant.DefaultName, cleared, [])];
        var runs = new List<RunVariant> { new("", cleared, []) };
        foreach (var axis in axes)
        {
            runs = runs.SelectMany(run => axis.Values.Select(v => new RunVariant(
                run.Name.Length == 0 ? $"{axis.Name}={v.Text}" : $"{run.Name},{axis.Name}={v.Text}",
                v.Apply(run.Manifest),
                [.. run.Point, new KeyValuePair<string, string>(axis.Path, v.Text)]))).ToList();
        }
        return runs.Select(run => run with { Manifest = Titled(run.Manifest, run.Name) }).ToList();
    }

    /// <summary>A run's report title names the run: "&lt;title or name&gt; · run &lt;name&gt;" (cosmetic, so no stage key changes).</summary>
    private static PipelineManifest Titled(PipelineManifest manifest, string run) => manifest with
    {
        Report = manifest.Report with { Title = $"{(manifest.Report.Title.Length > 0 ? manifest.Report.Title : manifest.Name)} · run {run}" },
    };

    private static IEnumerable<Axis> Axes(SweepSection s)
    {
        yield return new("seed", "seed", s.Seed.Select(v => Value(v.ToString(CultureInfo.InvariantCulture), m => m with { Seed = v })).ToList());
        yield return new("theta", "partition.theta", s.Theta.Select(v => Value(Num(v), m => m with { Partition = m.Partition with { Theta = v } })).ToList());
        yield return new("alpha", "partition.alpha", s.Alpha.Select(v => Value(Num(v), m => m with { Partition = m.Partition with { Alpha = v } })).ToList());
        yield return new("beta", "partition.beta", s.Beta.Select(v => Value(Num(v), m => m with { Partition = m.Partition with { Beta = v } })).ToList());
        yield return new("selection", "partition.selection",
            s.Selection.Select(v => Value(KebabCase.Name(v), m => m with { Partition = m.Partition with { Selection = v } })).ToList());
        yield return new("init", "lora.init", s.Init.Select(v => Value(KebabCase.Name(v), m => m with { Lora = m.Lora with { Init = v } })).ToList());
        yield return new("modules", "lora.targets",
            s.Modules.Select(v => Value(v.SettingText, m => m with { Lora = m.Lora with { Targets = v } })).ToList());
        yield return new("method", "method", s.Method.Select(v => Value(KebabCase.Name(v), m => m with { Method = v })).ToList());
        yield return new("estimator", "importance.estimator",
            s.Estimator.Select(v => Value(KebabCase.Name(v), m => m with { Importance = m.Importance with { Estimator = v } })).ToList());
    }

    private static (string, Func<PipelineManifest, PipelineManifest>) Value(string text, Func<PipelineManifest, PipelineManifest> apply) => (text, apply);

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
