using LoraPar.Training.Schedules;

namespace LoraPar.Training.Tests.Schedules;

public sealed class WarmupCosineScheduleTests
{
    private static readonly WarmupCosineSchedule Schedule = new(PeakLearningRate: 2.0, TotalSteps: 100, WarmupRatio: 0.1);

    [Theory]
    [InlineData(0, 0.0)]                  // start of warm-up
    [InlineData(5, 1.0)]                  // half-way through warm-up: 2 · 5/10
    [InlineData(10, 2.0)]                 // end of warm-up: the peak
    [InlineData(25, 1.8660254037844386)]  // progress 15/90 = 1/6: 2 · ½ (1 + cos(π/6))
    [InlineData(55, 1.0)]                 // mid-decay: progress ½, 2 · ½ (1 + cos(π/2))
    [InlineData(100, 0.0)]                // end
    [InlineData(150, 0.0)]                // past the end: the floor
    public void Hand_values_along_the_schedule(int step, double expected)
    {
        Assert.Equal(10, Schedule.WarmupSteps);
        Assert.Equal(expected, Schedule.LearningRateAt(step), 12);
    }

    [Fact]
    public void A_floor_lifts_the_cosine_and_the_pure_function_agrees()
    {
        var floored = Schedule with { MinLearningRate = 0.5 };
        Assert.Equal(1.25, floored.LearningRateAt(55), 12);            // 0.5 + 1.5 · ½
        Assert.Equal(0.5, floored.LearningRateAt(100), 12);
        Assert.Equal(Schedule.LearningRateAt(37), WarmupCosineSchedule.LearningRate(37, 2.0, 100, 0.1), 15);
    }

    [Theory]
    [InlineData(100, 0.07, 7)]   // 0.07 · 100 is 7.000000000000001 in floating point: still 7 steps
    [InlineData(10, 0.03, 1)]    // ⌈0.3⌉
    [InlineData(100, 0.0, 0)]
    [InlineData(33, 0.1, 4)]     // ⌈3.3⌉
    public void Warmup_steps_are_the_ceiling_of_ratio_times_total(int total, double ratio, int expected) =>
        Assert.Equal(expected, WarmupCosineSchedule.WarmupStepsFor(total, ratio));

    [Fact]
    public void Without_warm_up_step_zero_is_the_peak_and_bad_arguments_are_refused()
    {
        Assert.Equal(3.0, WarmupCosineSchedule.LearningRate(0, 3.0, 10, 0.0), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => WarmupCosineSchedule.LearningRate(0, 1.0, 0, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => WarmupCosineSchedule.LearningRate(0, 1.0, 10, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => WarmupCosineSchedule.LearningRate(-1, 1.0, 10, 0.1));
    }
}
