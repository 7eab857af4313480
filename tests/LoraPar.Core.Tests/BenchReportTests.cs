using System.Text.Json;
using LoraPar.Core.Benchmarks;

namespace LoraPar.Core.Tests;

public sealed class BenchReportTests
{
    private static readonly BenchReport Report = new("model", "0.1.0", new BenchMachine(2, "cpu"),
    [
        new BenchFigure("decode_cache_speedup", 7.91234, "x", Better.Higher, 5),
        new BenchFigure("train_tokens_per_s", 1234.5, "tokens/s", Better.Higher),
        new BenchFigure("noop_run_seconds", 2.5, "s", Better.Lower, 2),
    ]);

    [Fact]
    public void Json_follows_the_design_convention()
    {
        using var doc = JsonDocument.Parse(Report.ToJson());
        var root = doc.RootElement;
        Assert.Equal("model", root.GetProperty("suite").GetString());
        Assert.Equal("0.1.0", root.GetProperty("tool_version").GetString());
        Assert.Equal(2, root.GetProperty("machine").GetProperty("cores").GetInt32());
        var first = root.GetProperty("figures")[0];
        Assert.Equal("decode_cache_speedup", first.GetProperty("name").GetString());
        Assert.Equal(7.9123, first.GetProperty("value").GetDouble());
        Assert.Equal("higher", first.GetProperty("better").GetString());
        Assert.Equal(5, first.GetProperty("goal").GetDouble());
        Assert.False(root.GetProperty("figures")[1].TryGetProperty("goal", out _));
    }

    [Theory]
    [InlineData(7.91234, 7.9123)]
    [InlineData(1.2345678e-7, 1.2346e-7)]
    [InlineData(123456.7, 123460)]
    [InlineData(-0.000123456, -0.00012346)]
    [InlineData(0.0, 0.0)]
    public void Json_values_keep_five_significant_digits(double value, double expected) =>
        Assert.Equal(expected, BenchReport.Significant(value, 5), 12);

    [Fact]
    public void Table_marks_goals_met_and_missed()
    {
        var table = Report.ToTable();
        Assert.Contains(">= 5 met", table);
        Assert.Contains("<= 2 NOT met", table);
    }
}
