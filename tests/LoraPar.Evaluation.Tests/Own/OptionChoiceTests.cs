using LoraPar.Evaluation.Own;

namespace LoraPar.Evaluation.Tests.Own;

/// <summary>lm-evaluation-harness's acc (summed log-likelihood) and acc_norm (per character of the option), by hand.</summary>
public sealed class OptionChoiceTests
{
    [Fact]
    public void Acc_takes_the_highest_sum_and_acc_norm_the_highest_per_character()
    {
        string[] options = ["no", "absolutely"];        // 2 and 10 characters
        double[] ll = [-3.0, -5.0];                      // per character: -1.5 and -0.5
        Assert.Equal(0, OptionChoice.BySum(ll));
        Assert.Equal(1, OptionChoice.ByLength(ll, options));
    }

    [Fact]
    public void A_tie_goes_to_the_first_option_as_numpy_argmax()
    {
        Assert.Equal(0, OptionChoice.BySum([-1.0, -1.0]));
        Assert.Equal(0, OptionChoice.ByLength([-2.0, -4.0], ["ab", "abcd"]));
    }

    [Fact]
    public void Mismatched_or_empty_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => OptionChoice.ByLength([-1.0], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => OptionChoice.BySum([]));
    }
}
