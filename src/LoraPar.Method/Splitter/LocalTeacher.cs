using System.Globalization;
using LoraPar.Model.Generation;

namespace LoraPar.Method.Splitter;

/// <summary>
/// A checkpoint loaded in-process. It is given the rendered role-play prompt followed by "Classification:", and votes for whichever
/// continuation, " System 1" or " System 2", has the higher log-likelihood. Equal or non-finite scores are an abstention.
/// Calls into the scorer are serialised (a model is not assumed to be thread-safe).
/// </summary>
public sealed class LocalTeacher(LocalTeacherConfig config, RolePlayPrompt prompt, string targetModel, ICompletionScorer scorer)
    : ITeacher
{
    /// <summary>The two continuations whose log-likelihoods are compared, System 1 first.</summary>
    public static readonly string[] Continuations = [" System 1", " System 2"];

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <inheritdoc />
    public TeacherConfig Config => config;

    /// <inheritdoc />
    public string Identity => $"local|{config.Checkpoint}|{prompt.TemplateHash}";

    /// <inheritdoc />
    public bool IsCached => true;

    /// <summary>The scoring context: the rendered prompt, then "Classification:".</summary>
    public string Context(SplitterItem item) => prompt.Render(targetModel, item) + "\n\nClassification:";

    /// <inheritdoc />
    public string PromptText(SplitterItem item) => Context(item);

    /// <inheritdoc />
    public async Task<TeacherAnswer> AskAsync(SplitterItem item, CancellationToken cancellationToken)
    {
        var context = Context(item);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<double> scores;
        try
        {
            scores = await Task.Run(() => scorer.LogLikelihood(
                [new ScoringRequest(context, Continuations[0]), new ScoringRequest(context, Continuations[1])]), cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
        if (scores.Count != 2)
            throw new InvalidOperationException($"the scorer returned {scores.Count} log-likelihoods for 2 requests");
        return Decide(scores[0], scores[1]);
    }

    /// <summary>The vote for log-likelihoods (<paramref name="system1"/>, <paramref name="system2"/>) (pure).</summary>
    public static TeacherAnswer Decide(double system1, double system2)
    {
        var raw = string.Create(CultureInfo.InvariantCulture,
            $"log p(\"System 1\") = {system1:F4}; log p(\"System 2\") = {system2:F4}");
        var vote = !double.IsFinite(system1) || !double.IsFinite(system2) || system1 == system2 ? Vote.Abstain
            : system1 > system2 ? Vote.System1 : Vote.System2;
        return new TeacherAnswer(raw, vote);
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
