using LoraPar.Core;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Tests.Manifest;

/// <summary>The <c>[eval.mmlu]</c> and <c>[eval.humaneval]</c> keys, loaded through the real manifest loader.</summary>
public sealed class EvalSectionTests : IDisposable
{
    private readonly Workspace _ws = new();

    public EvalSectionTests()
    {
        _ws.Write("mmlu/test/anatomy_test.csv", "q,a,b,c,d,A\n");
        _ws.Write("HumanEval.jsonl.gz", "");
    }

    public void Dispose() => _ws.Dispose();

    public static TheoryData<string, string, string> Cases => new()
    {
        { "unknown key", "[eval.humaneval]\npath = \"HumanEval.jsonl.gz\"\nsmaples = 5\n",
            "m.toml:3:1 eval.humaneval.smaples: unknown key; did you mean 'samples'?" },
        { "k out of range", "[eval.humaneval]\nk = [1, 0]\n", "m.toml:2:9 eval.humaneval.k: 0 is out of range; expected values in [1, ∞)" },
        { "k above samples", "[eval.humaneval]\nk = [1, 10]\n", "eval.humaneval.k: pass@10 needs samples ≥ 10 (samples = 1)" },
        { "greedy with samples", "[eval.humaneval]\nsamples = 4\nk = [1]\n", "eval.humaneval.temperature: samples = 4 with temperature = 0" },
        { "shots out of range", "[eval.mmlu]\nshots = 6\n", "m.toml:2:1 eval.mmlu.shots: 6 is out of range; expected a value in [0, 5]" },
        { "k not integers", "[eval.humaneval]\nk = [1.5]\n", "m.toml:2:6 eval.humaneval.k: expected an integer in the array, got float 1.5" },
        { "mmlu without a path", "[eval]\nbenchmarks = [\"mmlu\"]\n", "eval.mmlu.path: eval.benchmarks includes \"mmlu\"; point eval.mmlu.path at the MMLU test data" },
        { "humaneval without a path", "[eval]\nbenchmarks = [\"humaneval\"]\n", "eval.humaneval.path: eval.benchmarks includes \"humaneval\"; point eval.humaneval.path at" },
        { "shots without dev", "[eval]\nbenchmarks = [\"mmlu\"]\n[eval.mmlu]\npath = \"mmlu/test\"\nshots = 5\n",
            "eval.mmlu.dev: shots = 5 takes solved questions from the dev split" },
        { "missing file", "[eval.humaneval]\npath = \"nowhere.jsonl\"\n",
            "m.toml:2:8 eval.humaneval.path: file not found: " },
        { "old key", "[eval]\npass_k = 1\n", "m.toml:2:1 eval.pass_k: unknown key" },
        { "isolation misspelt", "[eval.humaneval]\nisolation = \"bubblewarp\"\n",
            "m.toml:2:13 eval.humaneval.isolation: unknown value 'bubblewarp'; expected one of bubblewrap, none; did you mean 'bubblewrap'?" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_bad_eval_setting_names_the_place_and_the_problem(string what, string toml, string expected)
    {
        _ws.Write("m.toml", toml);
        var error = Assert.Throws<BadInputException>(() => _ws.Load("m.toml"));
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{what}: expected '{expected}' in:\n{error.Message}");
        Assert.Equal(FailureKind.BadInput, error.Kind);
    }

    [Fact]
    public void A_missing_benchmark_file_says_what_the_key_should_name()
    {
        _ws.Write("m.toml", "[eval.mmlu]\npath = \"nowhere\"\n");
        var error = Assert.Throws<BadInputException>(() => _ws.Load("m.toml"));
        Assert.Contains($"eval.mmlu.path: path not found: {_ws.PathOf("nowhere")}; point eval.mmlu.path at the MMLU test data", error.Message);
    }

    [Fact]
    public void Valid_settings_are_bound_with_paths_resolved_against_the_manifest()
    {
        _ws.Write("m.toml", """
            [eval]
            benchmarks = ["mmlu", "humaneval"]

            [eval.mmlu]
            path = "mmlu/test"
            subset = 100

            [eval.humaneval]
            path = "HumanEval.jsonl.gz"
            samples = 10
            temperature = 0.8
            k = [1, 10]
            isolation = "none"
            """);
        var eval = _ws.Load("m.toml").Manifest.Eval;
        Assert.Equal([Benchmark.Mmlu, Benchmark.Humaneval], eval.Benchmarks);
        Assert.Equal(_ws.PathOf("mmlu/test"), eval.Mmlu.Path!.Resolved);
        Assert.Equal((0, 100), (eval.Mmlu.Shots, eval.Mmlu.Subset));
        Assert.Equal(_ws.PathOf("HumanEval.jsonl.gz"), eval.Humaneval.Path!.Resolved);
        Assert.Equal((10, 0.8), (eval.Humaneval.Samples, eval.Humaneval.Temperature));
        Assert.Equal([1, 10], eval.Humaneval.K);
        Assert.Equal(LoraPar.Evaluation.HumanEval.SandboxIsolation.None, eval.Humaneval.Isolation);
        Assert.Equal(LoraPar.Evaluation.HumanEval.SandboxIsolation.Bubblewrap, new HumanevalSection().Isolation);
    }
}
