namespace LoraPar.Evaluation.Runs;

/// <summary>A per-example result with one verdict, right or wrong: what paired comparisons between eval points (McNemar's test) count.</summary>
public interface IGradedRecord : IEvalRecord
{
    /// <summary>Whether the example was answered correctly under the set's primary grade.</summary>
    bool Verdict { get; }
}
