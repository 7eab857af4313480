using LoraPar.Evaluation.Runs;

namespace LoraPar.Pipeline.Stages.Eval;

/// <summary>
/// A set of graded answers whose per-question verdicts are compared between eval points and between runs (McNemar's test):
/// its name (<c>{Name}_{point}.jsonl</c>) and how its results file is read into verdicts by question id.
/// </summary>
public sealed record AnswerSet(string Name, Func<string, Dictionary<string, bool>> ReadVerdicts)
{
    /// <summary>The set <paramref name="name"/> whose results are <typeparamref name="T"/> records.</summary>
    public static AnswerSet Of<T>(string name) where T : IGradedRecord =>
        new(name, path => ResultLog<T>.ReadAll(path).ToDictionary(kv => kv.Key, kv => kv.Value.Verdict));
}
