using System.Globalization;
using LoraPar.Model.Objectives;

namespace LoraPar.Pipeline.Stages.Training;

/// <summary>What a length cap does to a training split: examples dropped (the prompt alone fills it) and examples cut short.</summary>
public static class LengthWarnings
{
    /// <summary>The warnings for <paramref name="examples"/> under <paramref name="maxLength"/> tokens, set by the manifest key <paramref name="key"/>.</summary>
    public static IReadOnlyList<string> Of(IReadOnlyList<AnswerExample> examples, int maxLength, string key)
    {
        var dropped = examples.Count(e => e.Truncated(maxLength).ResponseIds.Count == 0);
        var truncated = examples.Count(e => e.Length > maxLength) - dropped;
        var n = examples.Count.ToString(CultureInfo.InvariantCulture);
        var cap = $"{key} = {maxLength.ToString(CultureInfo.InvariantCulture)}";
        var warnings = new List<string>();
        if (dropped > 0)
            warnings.Add($"{dropped.ToString(CultureInfo.InvariantCulture)} of {n} training examples were dropped: their prompts alone fill {cap} tokens; raise it or shorten the prompts");
        if (truncated > 0)
            warnings.Add($"{truncated.ToString(CultureInfo.InvariantCulture)} of {n} training examples were cut to {cap} tokens, losing the end of their responses; raise it to train on whole answers");
        return warnings;
    }
}
