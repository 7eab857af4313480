using LoraPar.Core;
using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Training.Tests.Grpo.Rewards;

public sealed class ReferenceRewardsTests
{
    private const string Reference = "police killed the gunman";

    [Fact]
    public void Overlap_is_two_times_ROUGE_L_of_the_answer_block_and_needs_the_block()
    {
        Assert.Equal(2.0 * 0.75, ReferenceOverlapReward.Score("<reasoning>\nx\n</reasoning>\n<answer>\npolice kill the gunman\n</answer>\n", Reference), 12);
        Assert.Equal(0.0, ReferenceOverlapReward.Score("police killed the gunman", Reference));
    }

    [Fact]
    public void The_sum_is_overlap_plus_the_authors_format_terms_without_the_number_terms()
    {
        const string ideal = "<reasoning>\nit happened\n</reasoning>\n<answer>\npolice killed the gunman\n</answer>\n";
        var scores = new ReferenceRewards(new RewardWeights(), RewardRules.Lorapar).Score([ideal, "<answer>the gunman kill police</answer>"], RewardExamples.Of(Reference, Reference));
        Assert.Equal(["reference_overlap", "soft_format", "strict_format", "xml_tag_count"], scores.PerFunction.Keys.Order());
        // ideal: 2.0 overlap + 0.5 strict + 0.5 soft + 4 × 0.125 tags = 3.5; the second: 2.0 × 0.5 overlap, no strict or soft
        // format (no reasoning block), plus the authors' tag count as it scores that text.
        Assert.Equal(3.5, scores.Total[0], 9);
        Assert.Equal(1.0 + XmlTagCountReward.Score("<answer>the gunman kill police</answer>", RewardRules.Lorapar), scores.Total[1], 9);
        Assert.Equal([true, false], scores.Correct!);
    }

    [Fact]
    public void Weights_multiply_each_term_and_all_zero_is_refused()
    {
        var overlapOnly = new RewardWeights { Correctness = 0.5, StrictFormat = 0, SoftFormat = 0, XmlTagCount = 0 };
        var scores = new ReferenceRewards(overlapOnly, RewardRules.Lorapar).Score(["<answer>police kill the gunman</answer>"], RewardExamples.Of(Reference));
        Assert.Equal(0.5 * 2.0 * 0.75, scores.Total[0], 12);
        Assert.Equal(["reference_overlap"], scores.PerFunction.Keys);
        var none = overlapOnly with { Correctness = 0 };
        Assert.NotNull(ReferenceRewards.Problem(none));
        Assert.Throws<BadInputException>(() => new ReferenceRewards(none with { IntegerAnswer = 1 }, RewardRules.Lorapar));
    }
}
