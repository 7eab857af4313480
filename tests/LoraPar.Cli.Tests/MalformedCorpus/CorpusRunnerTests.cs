namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>The corpus can fail: each way a wrong answer looks is caught by the judge.</summary>
public sealed class CorpusRunnerTests
{
    private static readonly CorpusCase Case = new("m", CorpusCategory.WrongType, "experiments/m.toml", new Dictionary<string, byte[]>(), ["lora.rank:"]);

    private const string Good = "lorapar: /t/m.toml:2:1 lora.rank: expected an integer, got string \"8\"\n";

    [Fact]
    public void A_located_answer_naming_the_key_passes() => Assert.Null(CorpusRunner.Judge(Case, new CorpusOutcome(2, Good, "", 0.1, null)));

    public static TheoryData<string, CorpusOutcome, string> Wrong => new()
    {
        { "accepted", new CorpusOutcome(0, "", "", 0.1, null), "exit 0" },
        { "job failed", new CorpusOutcome(1, Good, "", 0.1, null), "exit 1" },
        { "crashed", new CorpusOutcome(-1, "", "", 0.1, new InvalidOperationException("boom")), "crashed" },
        { "stack trace", new CorpusOutcome(2, Good + "   at Foo.Bar()\n", "", 0.1, null), "stack trace" },
        { "header line", new CorpusOutcome(2, "lorapar: manifest has 1 error:\n" + Good, "", 0.1, null), "unlocated" },
        { "other key", new CorpusOutcome(2, Good.Replace("lora.rank", "lora.alpha"), "", 0.1, null), "no line has" },
        { "too many lines", new CorpusOutcome(2, string.Concat(Enumerable.Repeat(Good, 22)), "", 0.1, null), "22 lines" },
        { "slow", new CorpusOutcome(2, Good, "", 5.5, null), "took" },
    };

    [Theory]
    [MemberData(nameof(Wrong))]
    public void Each_kind_of_wrong_answer_fails(string what, CorpusOutcome outcome, string problem) =>
        Assert.Contains(problem, CorpusRunner.Judge(Case, outcome) ?? $"{what}: judged right");
}
