using LoraPar.Evaluation.Runs;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages.Eval;

namespace LoraPar.Pipeline.Tests.Reporting;

public sealed class ControlComparisonTests
{
    /// <summary>Writes <c>synthetic_s2_stage2.jsonl</c> with questions q0… right where <paramref name="right"/> says so.</summary>
    private static string Results(Workspace ws, string name, params bool[] right)
    {
        var folder = ws.PathOf(name);
        using var log = ResultLog<AnswerRecord>.Open(Path.Combine(folder, "synthetic_s2_stage2.jsonl"));
        for (var i = 0; i < right.Length; i++) log.Append(new AnswerRecord($"q{i}", "1", "", right[i], right[i]));
        return folder;
    }

    private static bool[] Pattern(int length, Func<int, bool> right) => Enumerable.Range(0, length).Select(right).ToArray();

    [Fact]
    public void Each_control_gets_a_paired_verdict_on_the_same_questions()
    {
        using var ws = new Workspace();
        var folders = new Dictionary<MaskStrategy, string>
        {
            [MaskStrategy.Importance] = Results(ws, "ours", Pattern(20, i => i < 12)),               // 60%
            [MaskStrategy.Random] = Results(ws, "random", Pattern(20, i => i < 4)),                 // 20%: 8 only ours, 0 only theirs
            [MaskStrategy.Full] = Results(ws, "full", Pattern(20, i => i is >= 2 and < 14)),        // 60%: 2 only ours, 2 only theirs
        };

        var rows = ControlComparison.Rows(folders, EvalPoint.Stage2);

        Assert.Equal(2, rows.Count);
        var random = rows.Single(r => r.Control == MaskStrategy.Random);
        Assert.Equal(("synthetic_s2", "stage2", 60.0, 20.0, 8, 0), (random.Set, random.Point, random.Ours, random.Theirs, random.Change.Gained, random.Change.Lost));
        Assert.Equal(2.0 / 256, random.Change.PValue, 12);                                          // 2·(1/2)^8
        Assert.Equal("LoRA-PAR beats it", random.Verdict);
        var full = rows.Single(r => r.Control == MaskStrategy.Full);
        Assert.Equal((2, 2, 1.0), (full.Change.Gained, full.Change.Lost, full.Change.PValue));
        Assert.Equal("LoRA-PAR does not beat it", full.Verdict);
        var text = ControlComparison.Render(rows);
        Assert.Contains("## LoRA-PAR against the controls", text);
        Assert.Matches(@"\| synthetic_s2 +\| stage2 +\| random +\| +60\.00 +\| +20\.00 +\| +8 +\| +0 +\| +0\.008 +\| LoRA-PAR beats it +\|", text);
    }

    [Fact]
    public void Worse_and_indistinguishable_results_are_named_as_such()
    {
        using var ws = new Workspace();
        var worse = ControlComparison.Rows(new Dictionary<MaskStrategy, string>
        {
            [MaskStrategy.Importance] = Results(ws, "a", Pattern(20, i => i < 2)),
            [MaskStrategy.Random] = Results(ws, "b", Pattern(20, i => i < 10)),
        }, EvalPoint.Stage2).Single();
        Assert.Equal("LoRA-PAR is worse", worse.Verdict);

        var close = ControlComparison.Rows(new Dictionary<MaskStrategy, string>
        {
            [MaskStrategy.Importance] = Results(ws, "c", Pattern(20, i => i < 11)),
            [MaskStrategy.Random] = Results(ws, "d", Pattern(20, i => i < 9)),
        }, EvalPoint.Stage2).Single();
        Assert.Equal("higher, but not distinguishable from noise", close.Verdict);
    }

    [Fact]
    public void Without_an_importance_run_or_results_there_is_no_section()
    {
        using var ws = new Workspace();
        Assert.Empty(ControlComparison.Rows(new Dictionary<MaskStrategy, string> { [MaskStrategy.Random] = Results(ws, "r", true, false) }, EvalPoint.Stage2));
        Assert.Empty(ControlComparison.Rows(new Dictionary<MaskStrategy, string>
        {
            [MaskStrategy.Importance] = ws.PathOf("empty"), [MaskStrategy.Random] = Results(ws, "r2", true),
        }, EvalPoint.Stage2));
        Assert.Equal("", ControlComparison.Render([]));
    }

    [Fact]
    public void The_own_held_out_set_is_compared_with_the_controls_by_its_verdicts()
    {
        using var ws = new Workspace();
        string Own(string name, params bool[] right)
        {
            var folder = ws.PathOf(name);
            using var log = ResultLog<OwnAnswerRecord>.Open(Path.Combine(folder, "own_stage2.jsonl"));
            for (var i = 0; i < right.Length; i++) log.Append(new OwnAnswerRecord($"q{i}", $"Q{i}?", "yes", right[i] ? "yes" : "no", right[i]));
            return folder;
        }

        var row = Assert.Single(ControlComparison.Rows(new Dictionary<MaskStrategy, string>
        {
            [MaskStrategy.Importance] = Own("ours", Pattern(10, i => i < 9)),                       // 90%
            [MaskStrategy.Random] = Own("random", Pattern(10, i => i < 2)),                         // 20%: 7 only ours, 0 only theirs
        }, EvalPoint.Stage2));

        Assert.Equal(("own", 90.0, 20.0, 7, 0, 10), (row.Set, row.Ours, row.Theirs, row.Change.Gained, row.Change.Lost, row.Compared));
        Assert.Equal(2.0 / 128, row.Change.PValue, 12);                                              // 2·(1/2)^7
    }
}
