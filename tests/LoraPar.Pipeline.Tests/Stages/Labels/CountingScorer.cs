using System.Collections.Concurrent;
using LoraPar.Model.Generation;

namespace LoraPar.Pipeline.Tests.Stages.Labels;

/// <summary>
/// A local teacher's model stand-in: scores " System 2" higher for questions with a '+' or '*' in them, counts how often each
/// context is scored, and can fire a cancellation after a number of calls.
/// </summary>
internal sealed class CountingScorer(CancellationTokenSource? cancelAfter = null, int calls = int.MaxValue) : ICompletionScorer
{
    private int _calls;

    public ConcurrentDictionary<string, int> PerContext { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<double> LogLikelihood(IReadOnlyList<ScoringRequest> requests)
    {
        PerContext.AddOrUpdate(requests[0].Context, 1, (_, n) => n + 1);
        if (Interlocked.Increment(ref _calls) == calls) cancelAfter?.Cancel();
        var multiStep = requests[0].Context.Contains("more", StringComparison.Ordinal) || requests[0].Context.Contains("times", StringComparison.Ordinal);
        return requests.Select(r => r.Continuation.EndsWith('2') == multiStep ? -1.0 : -3.0).ToList();
    }
}
