using LoraPar.Core;
using LoraPar.Model.Objectives;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>The examples of one system's split that are scored.</summary>
/// <param name="System">The system.</param>
/// <param name="Available">Examples in the split.</param>
/// <param name="Unfit">Examples left out because no response token fits in the maximum length (or the prompt or response is empty).</param>
/// <param name="Indices">Indices into the split of the sampled examples, ascending.</param>
/// <param name="Examples">The sampled examples, fitted to the maximum length, in <see cref="Indices"/> order.</param>
public sealed record ScoringSample(ReasoningSystem System, int Available, int Unfit, IReadOnlyList<int> Indices, IReadOnlyList<AnswerExample> Examples)
{
    /// <summary>
    /// Fits every example of <paramref name="split"/> to <paramref name="maxLength"/>, drops those without a response token,
    /// and draws <paramref name="count"/> of the rest uniformly without replacement (all when fewer), from a stream that
    /// depends only on (<paramref name="seed"/>, <paramref name="system"/>). A split with nothing to score is bad input.
    /// </summary>
    public static ScoringSample Draw(ReasoningSystem system, IReadOnlyList<AnswerExample> split, int count, int maxLength, long seed)
    {
        var fitted = split.Select((e, i) => (Index: i, Example: e.Fitted(maxLength))).Where(x => x.Example is not null).ToList();
        if (fitted.Count == 0)
            throw new BadInputException(split.Count == 0
                ? $"{system.Label()} has no examples to score: its split is empty. Check the splitter's labels (were all questions " +
                  $"voted {(system == ReasoningSystem.System1 ? "System 2" : "System 1")}?) or the data source."
                : $"none of the {split.Count} {system.Label()} examples has a response token within max_length = {maxLength}: " +
                  "raise importance.max_length or check that the examples have answers.");
        var chosen = count >= fitted.Count ? Enumerable.Range(0, fitted.Count).ToList() : Choose(fitted.Count, count, seed, system);
        return new ScoringSample(system, split.Count, split.Count - fitted.Count,
            chosen.Select(c => fitted[c].Index).ToList(), chosen.Select(c => fitted[c].Example!).ToList());
    }

    /// <summary>The sample in batches of at most <paramref name="batchSize"/>, shortest examples first (less padding).</summary>
    public IReadOnlyList<IReadOnlyList<AnswerExample>> Batches(int batchSize) =>
        Examples.Select((e, i) => (e, i)).OrderBy(x => x.e.Length).ThenBy(x => x.i).Select(x => x.e)
            .Chunk(Math.Max(1, batchSize)).Select(c => (IReadOnlyList<AnswerExample>)c).ToList();

    /// <summary><paramref name="count"/> distinct positions of [0, <paramref name="of"/>), ascending (a seeded torch permutation's prefix).</summary>
    private static List<int> Choose(int of, int count, long seed, ReasoningSystem system)
    {
        using var generator = new TorchSharp.torch.Generator(unchecked((ulong)seed * 2 + (ulong)system), CPU);   // one stream per (seed, system)
        using var permutation = randperm(of, generator: generator);                                              // (of,)
        return permutation.data<long>().Take(count).Select(i => (int)i).Order().ToList();
    }
}
