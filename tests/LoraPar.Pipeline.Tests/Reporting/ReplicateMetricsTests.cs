using LoraPar.Method.Partition;
using LoraPar.Pipeline.Reporting;

namespace LoraPar.Pipeline.Tests.Reporting;

/// <summary>The Replicates section's pooled numbers as metrics, which a baseline file pins for <c>lorapar compare --check</c>.</summary>
public sealed class ReplicateMetricsTests
{
    private static RunResults Run(long seed, MaskStrategy selection, double s2Accuracy) => ReplicateVerdictTests.Run(seed, selection, s2Accuracy);

    private static string Results(Workspace ws, string name, int right) => ReplicateVerdictTests.Results(ws, name, i => i < right);

    [Fact]
    public void Every_run_of_an_arm_carries_its_spread_and_lora_pars_runs_the_pooled_test()
    {
        using var ws = new Workspace();
        // Of 20 questions LoRA-PAR gets the first 20, 18, 16 right on seeds 1–3, the random mask the first 4: only LoRA-PAR 16 + 14 + 12 = 42, only random 0.
        var folders = new Dictionary<string, string>
        {
            ["seed=1,selection=importance"] = Results(ws, "i1", 20), ["seed=1,selection=random"] = Results(ws, "r1", 4),
            ["seed=2,selection=importance"] = Results(ws, "i2", 18), ["seed=2,selection=random"] = Results(ws, "r2", 4),
            ["seed=3,selection=importance"] = Results(ws, "i3", 16), ["seed=3,selection=random"] = Results(ws, "r3", 4),
        };
        var pending = new RunResults(Run(4, MaskStrategy.Importance, 0).Variant, new Dictionary<string, double>());   // a seed not run yet
        var runs = new[] { Run(1, MaskStrategy.Importance, 100), Run(1, MaskStrategy.Random, 20), Run(2, MaskStrategy.Importance, 90),
            Run(2, MaskStrategy.Random, 20), Run(3, MaskStrategy.Importance, 80), Run(3, MaskStrategy.Random, 20), pending };

        var added = ReplicateMetrics.Add(runs, r => folders.GetValueOrDefault(r.Variant.Name));

        var ours = added.Where(r => r.Variant.Manifest.Partition.Selection == MaskStrategy.Importance).ToList();
        Assert.All(ours, r =>
        {
            Assert.Equal(90, r.Metrics["replicate_synthetic_s2_accuracy_mean"], 9);
            Assert.Equal(90 - 4.302652729911275 * 10 / Math.Sqrt(3), r.Metrics["replicate_synthetic_s2_accuracy_ci_lower"], 6);   // s = 10, t₀.₉₇₅(2)
            Assert.Equal(3, r.Metrics["replicate_seeds"]);
            Assert.Equal((42, 0), (r.Metrics["pooled_synthetic_s2_only_ours_vs_random"], r.Metrics["pooled_synthetic_s2_only_control_vs_random"]));
            Assert.Equal(2 * Math.Pow(0.5, 42), r.Metrics["pooled_synthetic_s2_p_vs_random"], 15);                                  // 2 · ½⁴²
            Assert.Equal(1, r.Metrics["pooled_synthetic_s2_verdict_vs_random"]);
        });
        var control = added.Where(r => r.Variant.Manifest.Partition.Selection == MaskStrategy.Random).ToList();
        Assert.All(control, r =>
        {
            Assert.Equal(20, r.Metrics["replicate_synthetic_s2_accuracy_mean"], 9);
            Assert.Equal(20, r.Metrics["replicate_synthetic_s2_accuracy_ci_upper"], 9);                                             // no spread
            Assert.DoesNotContain(r.Metrics.Keys, k => k.StartsWith("pooled_", StringComparison.Ordinal));
        });
        Assert.Equal(100, added[0].Metrics["synthetic_s2_accuracy_stage2"]);
    }

    [Fact]
    public void The_verdict_code_is_the_sign_of_the_split_only_below_the_level()
    {
        Assert.Equal(-1, ReplicateMetrics.VerdictCode(LoraPar.Evaluation.Metrics.StratifiedMcNemar.Of([new(0, 8, 0.0078125)])));
        Assert.Equal(0, ReplicateMetrics.VerdictCode(LoraPar.Evaluation.Metrics.StratifiedMcNemar.Of([new(3, 1, 0.625)])));
    }

    [Fact]
    public void One_seed_adds_nothing()
    {
        var runs = new[] { Run(1, MaskStrategy.Importance, 50), Run(1, MaskStrategy.Random, 35) };
        Assert.Same(runs, ReplicateMetrics.Add(runs, _ => null));
    }
}
