using LoraPar.Pipeline.Reporting;

namespace LoraPar.Pipeline.Tests.Reporting;

/// <summary>Which cells align as numbers: thousands commas in threes do, any other comma makes the cell text.</summary>
public sealed class MarkdownTableTests
{
    [Theory]
    [InlineData("25,490")]
    [InlineData("1,234,567")]
    [InlineData("−1,234.50")]
    [InlineData("+0.25")]
    [InlineData("43.2%")]
    [InlineData("1.5e-07")]
    [InlineData("—")]
    public void Grouped_counts_signed_decimals_percentages_and_exponents_are_numbers(string cell) => Assert.True(MarkdownTable.IsNumeric(cell));

    [Theory]
    [InlineData("1,2")]          // double.TryParse with AllowThousands reads this as 12
    [InlineData("12,34")]
    [InlineData("0.3,0.4")]
    [InlineData("s1,s2")]
    [InlineData("1,234.5,6")]
    [InlineData(",123")]
    [InlineData("selection=importance")]
    public void A_comma_outside_thousands_groups_makes_a_cell_text(string cell) => Assert.False(MarkdownTable.IsNumeric(cell));

    [Fact]
    public void A_column_of_counts_with_thousands_commas_is_right_aligned_as_the_metric_table_prints_it()
    {
        var text = MetricFormat.Table(new Dictionary<string, double> { ["sft_tokens"] = 25_490, ["total_elements"] = 1_234_567 });
        var lines = text.Split('\n');
        var cells = lines[1].Split('|', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(":", cells[1].Trim());                  // the value column aligns right
        Assert.Contains("|    25,490 |", text);                 // padded on the left to "1,234,567"'s width
    }

    [Fact]
    public void A_column_of_comma_lists_stays_left_aligned()
    {
        var text = MarkdownTable.Render(["regions", "n"], [["s1,s2", "2"], ["1,2", "10"]]);
        var cells = text.Split('\n')[1].Split('|', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("-", cells[0].Trim());
        Assert.EndsWith(":", cells[1].Trim());
        Assert.Contains("| 1,2     |", text);
    }
}
