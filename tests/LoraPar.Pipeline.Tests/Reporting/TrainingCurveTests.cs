using System.Buffers.Binary;
using LoraPar.Core;
using LoraPar.Pipeline.Reporting;

namespace LoraPar.Pipeline.Tests.Reporting;

public sealed class TrainingCurveTests
{
    // As TrainingCurve writes it: one JSON object per optimizer step; the KL is absent on step 2, step 3 is a blank line away.
    private static readonly string[] GrpoLog =
    [
        """{"step":1,"loss":0.5,"lr":0.0002,"grad_norm":1.2,"tokens_per_s":80,"extra":{"reward":1.25,"kl":0.0,"reward_std":0.3}}""",
        """{"step":2,"loss":0.25,"lr":0.0002,"grad_norm":1.1,"tokens_per_s":81,"extra":{"reward":1.5}}""",
        "",
        """{"step":3,"loss":0.125,"lr":0.0002,"grad_norm":0.9,"tokens_per_s":82,"extra":{"reward":1.75,"kl":0.02}}""",
    ];

    /// <summary>The PNG's width and height from its IHDR chunk, after checking the signature.</summary>
    public static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    private static void AssertSeries(double[] steps, double[] values, (double[] Steps, double[] Values) series)
    {
        Assert.Equal(steps, series.Steps);
        Assert.Equal(values, series.Values);
    }

    [Fact]
    public void The_series_are_read_from_the_log_step_by_step_skipping_lines_without_the_figure()
    {
        var log = TrainingLog.Parse(GrpoLog, "training_log.jsonl");
        Assert.Equal(3, log.Count);
        AssertSeries([1, 2, 3], [0.5, 0.25, 0.125], TrainingCurveKind.SftLoss.Series(log));
        AssertSeries([1, 2, 3], [1.25, 1.5, 1.75], TrainingCurveKind.GrpoReward.Series(log));
        AssertSeries([1, 3], [0.0, 0.02], TrainingCurveKind.GrpoKl.Series(log));
        Assert.Equal(0.3, log[0].Extra["reward_std"]);
    }

    [Fact]
    public void A_malformed_line_is_bad_input_naming_file_and_line()
    {
        var e = Assert.Throws<BadInputException>(() => TrainingLog.Parse([GrpoLog[0], """{"loss": 1}"""], "x/training_log.jsonl"));
        Assert.StartsWith("x/training_log.jsonl:2: not a training log line", e.Message);
        Assert.Throws<BadInputException>(() => TrainingLog.Parse(["{not json"], "f"));
        Assert.Empty(TrainingLog.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "absent.jsonl")));
    }

    [Fact]
    public void One_png_per_curve_with_points_one_line_per_run_and_a_section_that_embeds_them()
    {
        var log = TrainingLog.Parse(GrpoLog, "log");
        var runs = new[]
        {
            new RunTrainingLogs("selection=importance", new Dictionary<string, IReadOnlyList<TrainingLogEntry>> { ["rl"] = log }),
            new RunTrainingLogs("selection=random", new Dictionary<string, IReadOnlyList<TrainingLogEntry>> { ["rl"] = log.Skip(1).ToList() }),
        };
        Assert.Null(TrainingCurvePlot.Render(TrainingCurveKind.SftLoss, runs));   // no sft log in any run
        var png = TrainingCurvePlot.Render(TrainingCurveKind.GrpoReward, runs)!;
        var (width, height) = PngSize(png);
        Assert.Equal(900, width);
        Assert.InRange(height, 551, 650);   // 550 for the axes, plus one legend row below them
        Assert.True(png.Length > 10_000, $"{png.Length} bytes");
        var directory = Path.Combine(Path.GetTempPath(), "lorapar-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var section = TrainingCurvePlot.Write(directory, runs);
            Assert.Equal("## Training curves\n\n![GRPO reward mean against the optimizer step](training_rl_reward.png)\n\n"
                + "![GRPO KL to the reference against the optimizer step](training_rl_kl.png)\n\n", section);
            Assert.Equal(["training_rl_kl.png", "training_rl_reward.png"], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
            Assert.Equal(png, File.ReadAllBytes(Path.Combine(directory, "training_rl_reward.png")));
            Assert.Equal("", TrainingCurvePlot.Write(directory, [new RunTrainingLogs("none", new Dictionary<string, IReadOnlyList<TrainingLogEntry>>())]));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
