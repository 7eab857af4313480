using LoraPar.Model.Generation;

namespace LoraPar.Evaluation.Tests.Fakes;

/// <summary>A scorer whose log-likelihoods come from a table keyed by a marker in the context and the continuation.</summary>
internal sealed class RiggedScorer(Func<ScoringRequest, double> score) : ICompletionScorer
{
    public List<ScoringRequest> Requests { get; } = [];

    public IReadOnlyList<double> LogLikelihood(IReadOnlyList<ScoringRequest> requests)
    {
        Requests.AddRange(requests);
        return requests.Select(score).ToList();
    }
}
