using LoraPar.Adapters.Peft;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Tests.Peft;

public sealed class PissaToLoraTests : TorchTest
{
    [Theory]
    [InlineData(LoraInit.Pissa, false)]
    [InlineData(LoraInit.Pissa, true)]
    [InlineData(LoraInit.Olora, false)]
    public void The_rank_2r_adapter_on_the_original_base_reproduces_the_trained_residual_model(LoraInit init, bool rsLora)
    {
        using var trainedModel = ToyLlama.Small();
        using var originalModel = ToyLlama.Small();
        using var tokens = Tokens();
        var config = new LoraConfig { R = 4, Alpha = 8, Init = init, UseRslora = rsLora, Dropout = 0 };
        var trained = LoraInjector.Inject(trainedModel, config, seed: 1);
        using (no_grad())
        {
            using var g = new Generator(8, CPU);
            foreach (var t in trained.Tensors.Values) t.add_(randn(t.shape, generator: g) * 0.05);   // "training"
        }
        using var expected = trainedModel.forward(tokens);

        var dir = Path.Combine(Path.GetTempPath(), $"conv-{Guid.NewGuid():N}");
        PeftAdapterFormat.SaveForOriginalBase(dir, trained, "toy");
        var converted = PeftAdapterFormat.Load(dir);
        Assert.Equal(8, converted.Config.R);
        Assert.Equal(rsLora ? 8 * Math.Sqrt(2) : 16, converted.Config.Alpha, 10);
        Assert.Equal(LoraInit.Kaiming, converted.Config.Init);
        Assert.Equal(config.Scaling, converted.Config.Scaling, 10);

        var onOriginal = LoraInjector.Inject(originalModel, converted.Config with { Dropout = 0 }, seed: 5);
        onOriginal.Load(converted.Tensors, dir);
        Assert.True(RelativeError(originalModel.forward(tokens), expected) < 1e-5);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Factors_stack_as_A_over_A0_and_B_beside_minus_B0()
    {
        using var scope = NewDisposeScope();
        var trained = new Dictionary<string, Tensor> { ["m.lora_A"] = ones(1, 3), ["m.lora_B"] = full(2, 1, 2f) };
        var initial = new Dictionary<string, Tensor> { ["m.lora_A"] = zeros(1, 3), ["m.lora_B"] = full(2, 1, 5f) };
        var (tensors, config) = PissaToLora.Convert(trained, initial, new LoraConfig { R = 1, Alpha = 3, Init = LoraInit.Olora });
        Assert.Equal(new float[] { 1, 1, 1, 0, 0, 0 }, tensors["m.lora_A"].data<float>().ToArray());  // (2, 3)
        Assert.Equal(new float[] { 2, -5, 2, -5 }, tensors["m.lora_B"].data<float>().ToArray());     // (2, 2)
        Assert.Equal((2, 6.0), (config.R, config.Alpha));
    }

    [Fact]
    public void Plain_lora_needs_no_conversion() =>
        Assert.Throws<InvalidOperationException>(() => PissaToLora.Convert(new Dictionary<string, Tensor>(), new Dictionary<string, Tensor>(), new LoraConfig { Init = LoraInit.Kaiming }));
}
