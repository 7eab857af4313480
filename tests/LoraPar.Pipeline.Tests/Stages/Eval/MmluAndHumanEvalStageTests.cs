using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Tests.Stages.Eval;

/// <summary>MMLU and HumanEval through the real eval stages on a tiny model, with the real python3 sandbox.</summary>
public sealed class MmluAndHumanEvalStageTests
{
    private const string Manifest = """
        [eval]
        benchmarks = ["mmlu", "humaneval"]
        points = ["base"]
        max_new_tokens = 12
        batch_size = 4

        [eval.mmlu]
        path = "mmlu/test"
        dev = "mmlu/dev"
        shots = 1

        [eval.humaneval]
        path = "humaneval.jsonl"
        samples = 2
        temperature = 0.8
        k = [1, 2]
        timeout_seconds = 20
        """;

    public MmluAndHumanEvalStageTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Base_point_writes_mmlu_and_humaneval_metrics_and_one_row_per_example()
    {
        using var h = EvalFixtures.Harness(Manifest);
        EvalFixtures.WriteMmlu(h.Ws);
        EvalFixtures.WriteHumanEval(h.Ws);

        h.Run();

        Assert.Equal(["pretrain", "data", "eval-base", "eval"], h.Ran());
        var metrics = MetricsFile.Read(Path.Combine(h.Artifact(StageKinds.Eval), MetricsFile.FileName));
        Assert.Equal(
            ["humaneval_pass1_base", "humaneval_pass2_base", "mmlu_accuracy_base", "mmlu_accuracy_base_humanities", "mmlu_accuracy_base_stem", "mmlu_macro_base"],
            metrics.Keys.Order(StringComparer.Ordinal));
        Assert.All(metrics.Values, v => Assert.InRange(v, 0, 100));

        var baseEval = h.Artifact(StageKinds.EvalBase);
        var mmlu = EvalFixtures.Rows(Path.Combine(baseEval, "mmlu_base.jsonl"));
        Assert.Equal(5, mmlu.Count);
        Assert.Equal(5, mmlu.Select(r => r.GetProperty("id").GetString()).Distinct().Count());
        foreach (var row in mmlu)
        {
            var ll = row.GetProperty("log_likelihoods").EnumerateArray().Select(e => e.GetDouble()).ToList();
            Assert.Equal(ll.IndexOf(ll.Max()), row.GetProperty("predicted").GetInt32());
            Assert.Equal(row.GetProperty("predicted").GetInt32() == row.GetProperty("gold").GetInt32(), row.GetProperty("correct").GetBoolean());
        }
        var bySubject = mmlu.GroupBy(r => r.GetProperty("subject").GetString()!)
            .ToDictionary(g => g.Key, g => 100.0 * g.Count(r => r.GetProperty("correct").GetBoolean()) / g.Count());
        Assert.Equal(100.0 * mmlu.Count(r => r.GetProperty("correct").GetBoolean()) / 5, metrics["mmlu_accuracy_base"], 9);
        Assert.Equal(bySubject.Values.Average(), metrics["mmlu_macro_base"], 9);
        Assert.Equal(bySubject["astronomy"], metrics["mmlu_accuracy_base_stem"], 9);
        Assert.Equal(bySubject["world_religions"], metrics["mmlu_accuracy_base_humanities"], 9);

        var humaneval = EvalFixtures.Rows(Path.Combine(baseEval, "humaneval_base.jsonl"));
        Assert.Equal(6, humaneval.Count);
        Assert.All(humaneval, r => Assert.Equal("bubblewrap", r.GetProperty("isolation").GetString()));
        string Outcome(string task, int sample) => humaneval.Single(r => r.GetProperty("task_id").GetString() == task
            && r.GetProperty("sample").GetInt32() == sample).GetProperty("outcome").GetString()!;
        Assert.All(new[] { 0, 1 }, s => Assert.Equal("passed", Outcome("Fixture/0", s)));
        Assert.All(new[] { 0, 1 }, s => Assert.NotEqual("passed", Outcome("Fixture/1", s)));
        Assert.InRange(metrics["humaneval_pass1_base"], 100.0 / 3 - 1e-9, 200.0 / 3 + 1e-9);
        Assert.True(metrics["humaneval_pass2_base"] >= metrics["humaneval_pass1_base"]);
    }
}
