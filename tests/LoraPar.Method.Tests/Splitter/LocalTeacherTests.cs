using LoraPar.Method.Splitter;
using LoraPar.Model.Generation;

namespace LoraPar.Method.Tests.Splitter;

/// <summary>A stand-in scorer: log-likelihoods from a rule on the context, recording every request.</summary>
internal sealed class ScriptedScorer(Func<ScoringRequest, double> score) : ICompletionScorer
{
    public List<ScoringRequest> Requests { get; } = [];

    public IReadOnlyList<double> LogLikelihood(IReadOnlyList<ScoringRequest> requests)
    {
        lock (Requests) Requests.AddRange(requests);
        return requests.Select(score).ToList();
    }
}

public sealed class LocalTeacherTests
{
    private static LocalTeacher Teacher(ICompletionScorer scorer, RolePlayPrompt? prompt = null) =>
        new(new LocalTeacherConfig("tiny", "ckpt/tiny.safetensors"), prompt ?? RolePlayPrompt.RolePlayDefault, "LLaMA-2-7B", scorer);

    [Fact]
    public async Task Votes_for_the_answer_with_the_higher_log_likelihood()
    {
        var scorer = new ScriptedScorer(r => r.Continuation == " System 2" ? -1.5 : -2.25);
        using var teacher = Teacher(scorer);

        var answer = await teacher.AskAsync(new SplitterItem("q", "What is 17 * 23?"), CancellationToken.None);

        Assert.Equal(new TeacherAnswer("log p(\"System 1\") = -2.2500; log p(\"System 2\") = -1.5000", Vote.System2), answer);
        Assert.Equal([" System 1", " System 2"], scorer.Requests.Select(r => r.Continuation));
        var context = scorer.Requests[0].Context;
        Assert.StartsWith("Act as LLaMA-2-7B", context);
        Assert.Contains("Question: What is 17 * 23?", context);
        Assert.EndsWith("Reply with exactly 'System1' or 'System2'.\n\nClassification:", context);
    }

    [Theory]
    [InlineData(-1.0, -1.0)]
    [InlineData(double.NaN, -1.0)]
    [InlineData(-1.0, double.NegativeInfinity)]
    public void Equal_or_non_finite_scores_abstain(double s1, double s2) =>
        Assert.Equal(Vote.Abstain, LocalTeacher.Decide(s1, s2).Vote);

    [Fact]
    public void Identity_covers_checkpoint_and_template()
    {
        var scorer = new ScriptedScorer(_ => 0);
        using var a = Teacher(scorer);
        using var b = Teacher(scorer, RolePlayPrompt.NoRolePlayDefault);
        Assert.StartsWith("local|ckpt/tiny.safetensors|", a.Identity);
        Assert.NotEqual(a.Identity, b.Identity);
    }
}
