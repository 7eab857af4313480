namespace LoraPar.PaperMini.Tests;

/// <summary>Tables 2 and 3 (sweeps over α/β and θ × modules × selection) and the shared base, each from its one twin.</summary>
[Collection(PaperMiniCollection.Name)]
public sealed class Table2And3TwinTests(PaperMiniKit kit)
{
    [SkippableFact]
    public void Table_2_twin_runs_nine_sft_then_rl_runs_on_d1_then_d2_and_fills_every_cell()
    {
        kit.RequireShared();
        var wrapper = kit.Run("table2.toml");
        var runs = TwinResults.Runs(wrapper);
        Assert.Equal(9, runs.Count);
        foreach (var run in runs)
        {
            Assert.True(run.D1 > 0 && run.D2 > 0, $"{run.Variant}: D1 = {run.D1}, D2 = {run.D2}");
            Assert.Equal(PaperMiniKit.Gsm8kTrainRows, run.D1 + run.D2);
            Assert.Equal(run.D1, run.Metric("sft_examples"));
            Assert.Equal(run.Manifest.Rl.TotalSteps(run.D2), run.Metric("rl_steps"));
        }
        Assert.Equal(18, TwinResults.CompareFilled(wrapper));
        Assert.All(TwinResults.Cells("table2", [wrapper]), c => Assert.NotNull(c.Ours));
    }

    [SkippableFact]
    public void Table_3_twin_runs_all_sixty_sft_runs_and_fills_every_cell()
    {
        kit.RequireShared();
        var wrapper = kit.Run("table3.toml");
        var runs = TwinResults.Runs(wrapper);
        Assert.Equal(60, runs.Count);
        Assert.All(runs, r => Assert.False(r.Folders.ContainsKey("rl")));
        Assert.All(runs, r => Assert.Equal(r.D1, r.Metric("sft_examples")));
        var cells = TwinResults.Cells("table3", [wrapper]);
        Assert.All(cells.Where(TwinResults.NeedsOurs), c => Assert.True(c.Ours is not null, $"{c.Row} / {c.Column} has no result"));
        Assert.Equal(cells.Count(c => c.Ours is not null), TwinResults.CompareFilled(wrapper));
        Assert.Equal(3, cells.Count(c => c.Row.StartsWith("0 (Base", StringComparison.Ordinal) && c.Paper is not null && c.Ours is not null));
    }

    [SkippableFact]
    public void The_base_twin_runs_lora_par_end_to_end_on_the_checkpoint()
    {
        kit.RequireShared();
        var run = Assert.Single(TwinResults.Runs(kit.Run("base.toml")));
        Assert.Equal(run.D1, run.Metric("sft_examples"));
        Assert.Equal(run.Manifest.Rl.TotalSteps(run.D2), run.Metric("rl_steps"));
        foreach (var point in new[] { "base", "stage1", "stage2" }) Assert.InRange(run.Metric($"gsm8k_accuracy_{point}"), 0, 100);
    }
}
