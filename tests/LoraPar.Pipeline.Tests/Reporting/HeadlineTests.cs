using LoraPar.Pipeline.Reporting;

namespace LoraPar.Pipeline.Tests.Reporting;

public sealed class HeadlineTests
{
    /// <summary>The README's LoRA-PAR arm of the quickstart (seed 7): S1 49 → 49 → 49, S2 41 → 30 → 36 with 4/15 and 6/0.</summary>
    private static readonly Dictionary<string, double> QuickstartArm = new()
    {
        ["stage1_active_percent"] = 40.63, ["stage2_active_percent"] = 38.71,
        ["synthetic_s1_accuracy_base"] = 49, ["synthetic_s1_accuracy_stage1"] = 49, ["synthetic_s1_accuracy_stage2"] = 49,
        ["synthetic_s1_gained_stage1"] = 0, ["synthetic_s1_lost_stage1"] = 0, ["synthetic_s1_change_p_stage1"] = 1,
        ["synthetic_s1_gained_stage2"] = 0, ["synthetic_s1_lost_stage2"] = 0, ["synthetic_s1_change_p_stage2"] = 1,
        ["synthetic_s2_accuracy_base"] = 41, ["synthetic_s2_accuracy_stage1"] = 30, ["synthetic_s2_accuracy_stage2"] = 36,
        ["synthetic_s2_gained_stage1"] = 4, ["synthetic_s2_lost_stage1"] = 15, ["synthetic_s2_change_p_stage1"] = 0.0192,
        ["synthetic_s2_gained_stage2"] = 6, ["synthetic_s2_lost_stage2"] = 0, ["synthetic_s2_change_p_stage2"] = 0.03125,
        ["labels_d1"] = 150,
    };

    [Fact]
    public void The_plain_text_headline_is_the_readmes_per_arm_row_within_80_columns()
    {
        var lines = Headline.Lines(QuickstartArm);
        Assert.Equal(
        [
            "LoRA elements trained: stage 1 40.6%, stage 2 38.7%",
            "answers correct    base stage 1 stage 2  stage 1 +/−         stage 2 +/−",
            "System 1          49.0%   49.0%   49.0%  +0 / −0 (p 1.000)   +0 / −0 (p 1.000)",
            "System 2          41.0%   30.0%   36.0%  +4 / −15 (p 0.019)  +6 / −0 (p 0.031)",
        ], lines);
        Assert.All(lines, l => Assert.True(l.Length + 2 <= 80, l));          // printed with a two-space indent
    }

    [Fact]
    public void Missing_points_show_a_dash_and_benchmarks_without_paired_answers_no_change()
    {
        var lines = Headline.Lines(new Dictionary<string, double> { ["mmlu_accuracy_base"] = 45.25, ["mmlu_accuracy_stage2"] = 47.5 });
        Assert.Equal("MMLU              45.3%       —   47.5%", lines[^1]);
        Assert.DoesNotContain(lines, l => l.StartsWith("LoRA elements", StringComparison.Ordinal));
        Assert.Empty(Headline.Lines(new Dictionary<string, double> { ["labels_d1"] = 3 }));
    }

    [Fact]
    public void The_markdown_headline_is_a_table_with_units()
    {
        var text = Headline.Markdown(QuickstartArm);
        Assert.StartsWith("LoRA elements trained: stage 1 40.6%, stage 2 38.7%.\n\n| answers correct |", text);
        Assert.Contains("| System 2        | 41.0% |   30.0% |   36.0% | +4 / −15 (p 0.019)         | +6 / −0 (p 0.031)          |", text);
    }

    [Theory]
    [InlineData(0.0004, "< 0.001")]
    [InlineData(0.0496, "0.050")]
    [InlineData(1.0, "1.000")]
    public void P_values_have_three_decimals(double p, string shown) => Assert.Equal(shown, Headline.PValue(p));
}
