namespace LoraPar.PaperMini.Tests;

/// <summary>
/// Table 4's sixteen twins (GSM8K, MMLU after Dolly-15K and after Open-Platypus, HumanEval after CodeAlpaca; each with its base,
/// LoRA / OLoRA / PiSSA baselines, PiSSA+RL and the four proposals): every method row and benchmark column is produced.
/// </summary>
[Collection(PaperMiniCollection.Name)]
public sealed class Table4TwinTests(PaperMiniKit kit)
{
    private static readonly string[] Tasks = ["gsm8k", "dolly", "platypus", "humaneval"];
    private static readonly string[] Kinds = ["base", "baselines", "pissa-rl", "proposal"];

    [SkippableFact]
    public void Every_twin_runs_and_together_they_fill_every_cell_of_table_4()
    {
        kit.RequireShared();
        var wrappers = Tasks.SelectMany(t => Kinds.Select(k => $"table4/{t}-{k}.toml")).ToDictionary(t => t, kit.Run);
        foreach (var (twin, wrapper) in wrappers)
        {
            var runs = TwinResults.Runs(wrapper);
            Assert.Equal(twin.EndsWith("-proposal.toml", StringComparison.Ordinal) ? 4 : twin.EndsWith("-baselines.toml", StringComparison.Ordinal) ? 3 : 1, runs.Count);
            foreach (var run in runs) CheckSplits(twin, run);
            if (!twin.EndsWith("-base.toml", StringComparison.Ordinal)) Assert.True(TwinResults.CompareFilled(wrapper) > 0, twin);
        }
        var cells = TwinResults.Cells("table4", wrappers.Values);
        var missing = cells.Where(c => TwinResults.NeedsOurs(c) && c.Ours is null).Select(c => $"{c.Row} / {c.Column}").ToList();
        Assert.True(missing.Count == 0, "no result for " + string.Join("; ", missing));
        Assert.Equal(8, cells.Select(c => c.Column).Distinct().Count());
        // The base model's row reads the base point: the four columns the paper fills, from the base model every run evaluates.
        Assert.Equal(4, cells.Count(c => c.Row == "LLaMa2 7B" && c.Paper is not null && c.Ours is not null && c.Metric.EndsWith("_base", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public void The_one_and_two_epoch_cells_of_a_two_epoch_baseline_come_from_different_models()
    {
        kit.RequireShared();
        // MMLU scores each option by log-likelihood, so two different models leave different per-question records even when
        // they pick the same letters; the same records mean both cells evaluated one model.
        foreach (var task in new[] { "dolly", "platypus" })
        foreach (var run in TwinResults.Runs(kit.Run($"table4/{task}-baselines.toml")))
        {
            var eval = run.Folders["eval"];
            Assert.NotEqual(File.ReadAllBytes(Path.Combine(eval, "mmlu_stage1.jsonl")), File.ReadAllBytes(Path.Combine(eval, "mmlu_stage2.jsonl")));
        }
    }

    /// <summary>LoRA-PAR trains stage 1 on D1 and stage 2 on D2; PiSSA+RL and the baselines train every stage on all rows.</summary>
    private static void CheckSplits(string twin, TwinRun run)
    {
        var rows = run.D1 + run.D2;
        Assert.True(run.D1 > 0 && run.D2 > 0, $"{twin} {run.Variant}: D1 = {run.D1}, D2 = {run.D2}");
        var dual = run.Manifest.Method == LoraPar.Pipeline.Manifest.Sections.TrainingMethod.LoraPar;
        Assert.Equal(dual ? run.D1 : rows, run.Metric("sft_examples"));
        if (run.Folders.ContainsKey("rl")) Assert.Equal(run.Manifest.Rl.TotalSteps(dual ? run.D2 : rows), run.Metric("rl_steps"));
    }
}
