namespace LoraPar.Evaluation.Own;

/// <summary>
/// Multiple choice by log-likelihood, as lm-evaluation-harness scores its <c>multiple_choice</c> tasks: each option is scored
/// as the continuation <c>" " + option</c> of the prompt (its default target delimiter), <c>acc</c> picks the option of
/// highest summed token log-probability and <c>acc_norm</c> the highest sum divided by the option's length in characters
/// (<c>len(choice)</c>, the delimiter not counted); a tie goes to the first option, as <c>np.argmax</c> does.
/// </summary>
public static class OptionChoice
{
    /// <summary>What is put between the prompt and each option.</summary>
    public const string Delimiter = " ";

    /// <summary>The index <c>acc</c> picks: the highest summed log-likelihood.</summary>
    public static int BySum(IReadOnlyList<double> logLikelihoods) => ArgMax(logLikelihoods.Count, i => logLikelihoods[i]);

    /// <summary>The index <c>acc_norm</c> picks: the highest log-likelihood per character of the option.</summary>
    public static int ByLength(IReadOnlyList<double> logLikelihoods, IReadOnlyList<string> options)
    {
        if (options.Count != logLikelihoods.Count) throw new ArgumentException($"{logLikelihoods.Count} log-likelihoods for {options.Count} options", nameof(options));
        return ArgMax(options.Count, i => logLikelihoods[i] / options[i].Length);
    }

    private static int ArgMax(int count, Func<int, double> value)
    {
        if (count == 0) throw new ArgumentException("no options to choose from");
        var best = 0;
        for (var i = 1; i < count; i++)
            if (value(i) > value(best)) best = i;
        return best;
    }
}
