using LoraPar.TestSupport;

namespace LoraPar.PaperMini.Tests;

/// <summary>Table 1's six twins: each fills its row; the labels come from the loopback teachers (or the random split) and SFT trains on them.</summary>
[Collection(PaperMiniCollection.Name)]
public sealed class Table1TwinTests(PaperMiniKit kit)
{
    private static readonly string[] Twins1 =
        ["table1/qwq-plain.toml", "table1/qwq-role-play.toml", "table1/deepseek-r1-role-play.toml", "table1/random.toml", "table1/vote3.toml", "table1/vote5.toml"];

    [SkippableFact]
    public void Every_twin_runs_and_together_they_fill_every_cell_of_table_1()
    {
        kit.RequireShared();
        var wrappers = Twins1.Select(kit.Run).ToList();
        foreach (var wrapper in wrappers)
        {
            Assert.Equal(1, TwinResults.CompareFilled(wrapper));
            var run = Assert.Single(TwinResults.Runs(wrapper));
            // Every labelled row lands in D1 or D2; Table 1's recipe (lora-par-sft) is stage 1 alone, SFT on D1.
            Assert.Equal(PaperMiniKit.Gsm8kTrainRows, run.D1 + run.D2);
            Assert.Equal(run.D1, run.Metric("sft_examples"));
            Assert.False(run.Folders.ContainsKey("rl"));
        }
        var cells = TwinResults.Cells("table1", wrappers);
        Assert.Equal(6, cells.Count);
        Assert.All(cells, c => Assert.NotNull(c.Ours));
        // The votes were asked over HTTP: every teacher of the panels was called, and the 503s it answered first were retried.
        // the providers' own model ids, as the paper manifests send them (DeepSeek-R1 is served as deepseek-reasoner)
        var models = kit.Teachers.Calls.Select(c => c.Model).Distinct().Order().ToList();
        Assert.Equal(["claude-3-5-sonnet-latest", "deepseek-reasoner", "gpt-4o", "qwen2.5-72b-instruct", "qwq-32b"], models);
        Assert.Contains(kit.Teachers.Calls, c => c.Attempt == 2);
        Assert.All(kit.Teachers.Calls, c => Assert.Equal("Bearer loopback-key", c.Authorization));
        // A teacher whose settings differ between manifests (e.g. max_tokens per provider) is a different voter with its own
        // cache entry, so a question is asked at most once per distinct setting and panel, plus one retry after a 503.
        foreach (var asked in kit.Teachers.Calls.GroupBy(c => (c.Model, c.User)))
            Assert.InRange(asked.Count(), 1, 12);
    }
}
