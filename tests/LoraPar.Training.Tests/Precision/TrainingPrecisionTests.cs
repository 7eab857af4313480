using LoraPar.Core;
using LoraPar.Model.Runtime;
using LoraPar.Training.Precision;
using static TorchSharp.torch;

namespace LoraPar.Training.Tests.Precision;

public sealed class TrainingPrecisionTests
{
    public TrainingPrecisionTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void The_cpu_trains_in_float32_or_bf16_and_refuses_fp16()
    {
        Assert.Equal(ScalarType.Float32, TrainingPrecisionPolicy.BaseDType(TrainingPrecision.Auto, CPU));
        Assert.Equal(ScalarType.Float32, TrainingPrecisionPolicy.BaseDType(TrainingPrecision.Float32, CPU));
        Assert.Equal(ScalarType.BFloat16, TrainingPrecisionPolicy.BaseDType(TrainingPrecision.BFloat16, CPU));
        var error = Assert.Throws<BadInputException>(() => TrainingPrecisionPolicy.BaseDType(TrainingPrecision.Float16, CPU));
        Assert.Contains("needs a CUDA device", error.Message);
    }

    [Fact]
    public void Names_round_trip_and_only_fp16_scales_the_loss()
    {
        foreach (var p in Enum.GetValues<TrainingPrecision>()) Assert.Equal(p, TrainingPrecisionPolicy.Parse(TrainingPrecisionPolicy.Name(p).ToUpperInvariant()));
        Assert.Throws<BadInputException>(() => TrainingPrecisionPolicy.Parse("fp8"));
        Assert.True(TrainingPrecisionPolicy.NeedsLossScaling(ScalarType.Float16));
        Assert.False(TrainingPrecisionPolicy.NeedsLossScaling(ScalarType.BFloat16));
        Assert.False(TrainingPrecisionPolicy.NeedsLossScaling(ScalarType.Float32));
    }

    [Fact]
    public void The_loss_scale_halves_on_overflow_and_doubles_after_the_growth_interval()
    {
        var scale = DynamicLossScale.Initial;
        Assert.Equal(65536.0, scale.Scale);
        var halved = scale.After(finite: false);
        Assert.Equal(new DynamicLossScale(32768.0, 0), halved);
        var grown = Enumerable.Range(0, DynamicLossScale.GrowthInterval).Aggregate(halved, (s, _) => s.After(finite: true));
        Assert.Equal(new DynamicLossScale(65536.0, 0), grown);
        Assert.Equal(new DynamicLossScale(32768.0, 1), halved.After(finite: true));
        Assert.True(new DynamicLossScale(1.0, 0).After(finite: false).Exhausted);
        Assert.False(DynamicLossScale.None.Exhausted);
    }
}
