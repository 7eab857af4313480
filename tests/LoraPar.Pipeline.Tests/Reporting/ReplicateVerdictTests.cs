using LoraPar.Evaluation.Runs;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages.Eval;
using LoraPar.Pipeline.Sweeps;

namespace LoraPar.Pipeline.Tests.Reporting;

public sealed class ReplicateVerdictTests
{
    /// <summary>A seed's run of one arm reporting its System-2 accuracy at stage 2 (and an RL metric the section must skip).</summary>
    internal static RunResults Run(long seed, MaskStrategy selection, double s2Accuracy)
    {
        var manifest = new PipelineManifest { Seed = seed, Partition = new PartitionOptions { Selection = selection } };
        var name = $"seed={seed},selection={KebabCase.Name(selection)}";
        return new RunResults(new RunVariant(name, manifest, [new("seed", $"{seed}"), new("partition.selection", KebabCase.Name(selection))]),
            new Dictionary<string, double> { ["synthetic_s2_accuracy_stage2"] = s2Accuracy, ["rl_accuracy_stage2"] = 99 });
    }

    /// <summary>Writes <c>synthetic_s2_stage2.jsonl</c> for 20 questions, right where <paramref name="right"/> says so.</summary>
    internal static string Results(Workspace ws, string name, Func<int, bool> right)
    {
        var folder = ws.PathOf(name);
        using var log = ResultLog<AnswerRecord>.Open(Path.Combine(folder, "synthetic_s2_stage2.jsonl"));
        for (var i = 0; i < 20; i++) log.Append(new AnswerRecord($"q{i}", "1", "", right(i), right(i)));
        return folder;
    }

    [Fact]
    public void Three_seeds_of_lora_par_and_a_random_mask_give_one_pooled_verdict()
    {
        using var ws = new Workspace();
        // Per seed (only LoRA-PAR, only random): seed 1 (4, 1), seed 2 (3, 1), seed 3 (2, 2) — none significant alone.
        var folders = new Dictionary<string, string>
        {
            ["seed=1,selection=importance"] = Results(ws, "i1", i => i < 10), ["seed=1,selection=random"] = Results(ws, "r1", i => i is < 6 or 10),
            ["seed=2,selection=importance"] = Results(ws, "i2", i => i < 9), ["seed=2,selection=random"] = Results(ws, "r2", i => i is < 6 or 15),
            ["seed=3,selection=importance"] = Results(ws, "i3", i => i < 8), ["seed=3,selection=random"] = Results(ws, "r3", i => i is < 6 or 16 or 17),
        };
        var runs = new[] { Run(1, MaskStrategy.Importance, 50), Run(1, MaskStrategy.Random, 35), Run(2, MaskStrategy.Importance, 45),
            Run(2, MaskStrategy.Random, 35), Run(3, MaskStrategy.Importance, 40), Run(3, MaskStrategy.Random, 40) };

        var pooled = Assert.Single(ReplicateVerdict.Comparisons(runs, r => folders[r.Variant.Name]));

        Assert.Equal(("all", "synthetic_s2", MaskStrategy.Random, 3), (pooled.Group, pooled.Set, pooled.Control, pooled.Seeds.Count));
        Assert.Equal([(4, 1), (3, 1), (2, 2)], pooled.Seeds.Select(s => (s.Row.Change.Gained, s.Row.Change.Lost)));
        Assert.Equal((9, 4, 60), (pooled.Test.Gained, pooled.Test.Lost, pooled.Questions));
        Assert.Equal(2.0 * (1 + 13 + 78 + 286 + 715) / 8192, pooled.Test.PValue, 12);     // 2·P(X ≤ 4), X ~ Bin(13, ½)
        Assert.Equal("higher, but not distinguishable from noise", pooled.Verdict);
        Assert.Equal((5.0 / 60, 13.0 / 60), (pooled.Difference, pooled.Discordant));

        var text = ReplicateVerdict.Render(runs, r => folders[r.Variant.Name]);
        Assert.Contains("## Replicates: 3 seeds", text);
        // The spread table: per seed and the mean with Student's t interval (mean 45, s = 5, t₀.₉₇₅(2) = 4.3027: ± 12.42).
        Assert.Matches(@"\| selection=importance \| System 2 +\| +50\.0% \| +45\.0% \| +40\.0% \| +45\.0% \| 32\.6% – 57\.4% +\|", text);
        Assert.DoesNotContain("rl_", text);
        // One pooled row with the stratified test, the Mantel–Haenszel odds ratio 9/4 and the questions a 5-point gain needs.
        var needed = LoraPar.Evaluation.Metrics.PairedSampleSize.Questions(5.0 / 60, 13.0 / 60);
        Assert.Matches($@"\| all +\| System 2 +\| random +\| +3 \| +9 \| +4 \| 2\.25 \([0-9.]+ – [0-9.]+\) +\| 0\.267 \| higher, but not distinguishable from noise +\| {needed} \(have 20\) +\|", text);
        Assert.Contains("Per seed (McNemar's exact test)", text);
    }

    [Fact]
    public void A_sweep_of_one_seed_or_without_a_seed_axis_has_no_section()
    {
        using var ws = new Workspace();
        var one = new[] { Run(1, MaskStrategy.Importance, 50), Run(1, MaskStrategy.Random, 35) };
        Assert.False(ReplicateVerdict.IsReplicated(one));
        Assert.Equal("", ReplicateVerdict.Render(one, _ => null));
        Assert.Empty(ReplicateVerdict.Comparisons(one, _ => null));
    }
}
