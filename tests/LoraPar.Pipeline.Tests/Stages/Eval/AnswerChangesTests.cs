using LoraPar.Evaluation.Runs;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages.Eval;

namespace LoraPar.Pipeline.Tests.Stages.Eval;

public sealed class AnswerChangesTests
{
    private static void Results(string folder, string file, params (string Id, bool Strict)[] rows)
    {
        using var log = ResultLog<AnswerRecord>.Open(Path.Combine(folder, file));
        foreach (var (id, strict) in rows) log.Append(new AnswerRecord(id, "1", strict ? "#### 1" : "#### 2", strict, strict));
    }

    [Fact]
    public void Consecutive_points_give_gained_lost_and_the_exact_p_value_of_the_later_point()
    {
        using var ws = new Workspace();
        var (shared, own) = (ws.PathOf("eval-base"), ws.PathOf("eval"));
        Results(shared, "synthetic_s2_base.jsonl", ("q1", false), ("q2", false), ("q3", true), ("q4", false));
        Results(own, "synthetic_s2_stage1.jsonl", ("q1", true), ("q2", false), ("q3", true), ("q4", false));
        Results(own, "synthetic_s2_stage2.jsonl", ("q1", true), ("q2", true), ("q3", false), ("q4", true));

        var metrics = AnswerChanges.Metrics(EvalSuite.AnswerSets.Where(s => s.Name.StartsWith("synthetic", StringComparison.Ordinal)).ToList(), [(EvalPoint.Base, shared), (EvalPoint.Stage1, own), (EvalPoint.Stage2, own)]);

        Assert.Equal(1, metrics["synthetic_s2_gained_stage1"]);
        Assert.Equal(0, metrics["synthetic_s2_lost_stage1"]);
        Assert.Equal(1.0, metrics["synthetic_s2_change_p_stage1"]);
        Assert.Equal(2, metrics["synthetic_s2_gained_stage2"]);
        Assert.Equal(1, metrics["synthetic_s2_lost_stage2"]);
        Assert.Equal(1.0, metrics["synthetic_s2_change_p_stage2"]);                 // 2·(1 + 3)/8, capped
        Assert.DoesNotContain(metrics.Keys, k => k.StartsWith("synthetic_s1", StringComparison.Ordinal));  // no files, no metrics
        Assert.Equal(6, metrics.Count);
    }

    [Fact]
    public void The_own_held_out_set_is_compared_between_points_by_its_verdicts()
    {
        using var ws = new Workspace();
        var folder = ws.PathOf("eval");
        void Own(string point, params bool[] correct)
        {
            using var log = ResultLog<OwnAnswerRecord>.Open(Path.Combine(folder, $"own_{point}.jsonl"));
            for (var i = 0; i < correct.Length; i++) log.Append(new OwnAnswerRecord($"q{i}", $"Question {i}?", "7", correct[i] ? "7" : "8", correct[i]));
        }
        Own("base", false, false, false, false, false, false, true);
        Own("stage1", true, true, true, true, true, true, false);          // 6 gained, 1 lost: McNemar exact p = 2·(1 + 7)/2⁷ = 0.125

        var metrics = AnswerChanges.Metrics(EvalSuite.AnswerSets, [(EvalPoint.Base, folder), (EvalPoint.Stage1, folder)]);

        Assert.Equal(6, metrics["own_gained_stage1"]);
        Assert.Equal(1, metrics["own_lost_stage1"]);
        Assert.Equal(0.125, metrics["own_change_p_stage1"], 12);
        Assert.Equal(3, metrics.Count);
    }
}
