using LoraPar.Model.Objectives;

namespace LoraPar.Training.Data;

/// <summary>The examples a stage trains on after truncation, and how many were left out because no response token remained.</summary>
/// <param name="Examples">Truncated examples that keep at least one response token.</param>
/// <param name="Dropped">Examples whose prompt alone filled the maximum length.</param>
public sealed record SftDataset(IReadOnlyList<AnswerExample> Examples, int Dropped)
{
    /// <summary>Truncates every example to <paramref name="maxLength"/> and drops those left without a response token.</summary>
    public static SftDataset Prepare(IEnumerable<AnswerExample> examples, int maxLength)
    {
        var kept = new List<AnswerExample>();
        var dropped = 0;
        foreach (var example in examples)
        {
            var truncated = example.Truncated(maxLength);
            if (truncated.ResponseIds.Count == 0) dropped++;
            else kept.Add(truncated);
        }
        return new SftDataset(kept, dropped);
    }

    /// <summary>Total response tokens (the tokens the loss is computed on).</summary>
    public long ResponseTokens => Examples.Sum(e => (long)e.ResponseIds.Count);
}
