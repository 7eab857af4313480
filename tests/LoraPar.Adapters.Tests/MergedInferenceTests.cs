using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Tests;

public sealed class MergedInferenceTests : TorchTest
{
    [Fact]
    public void Merged_forward_matches_the_adapter_path_and_disposing_restores_every_base_weight_bit_for_bit()
    {
        using var model = ToyLlama.Small();
        var adapters = LoraInjector.Inject(model, new LoraConfig { R = 4, Dropout = 0, Sigma = 0.3 }, seed: 1);
        var before = adapters.Layers.ToDictionary(kv => kv.Key, kv => kv.Value.BaseLayer.weight.detach().clone());
        using var tokens = Tokens();
        using var adapted = model.forward(tokens);
        using (var merged = MergedInference.Open(adapters))
        {
            Assert.NotNull(merged);
            Assert.All(adapters.Layers.Values, l => Assert.True(l.Merged));
            using var fromMerged = model.forward(tokens);
            Assert.True(RelativeError(fromMerged, adapted) < 1e-5);
            Assert.True(RelativeError(adapters.Layers.Values.First().BaseLayer.weight, before[adapters.Layers.Keys.First()]) > 1e-4);
        }
        foreach (var (path, layer) in adapters.Layers)
        {
            Assert.False(layer.Merged);
            Assert.True(layer.BaseLayer.weight.eq(before[path]).all().item<bool>(), $"{path}: base weight not restored exactly");
        }
        using var again = model.forward(tokens);
        Assert.Equal(0, RelativeError(again, adapted));
    }

    [Fact]
    public void After_the_scope_the_adapter_path_is_live_again()
    {
        using var model = ToyLlama.Small();
        var adapters = LoraInjector.Inject(model, new LoraConfig { R = 4, Dropout = 0, Sigma = 0.3 }, seed: 1);
        using var tokens = Tokens();
        using (MergedInference.Open(adapters)) { }
        using var first = model.forward(tokens);
        using (no_grad()) adapters.Tensors.Values.First(t => t.shape[0] != 4).mul_(2);   // a B factor
        using var second = model.forward(tokens);
        Assert.True(RelativeError(second, first) > 1e-4);
    }

    [Fact]
    public void Nothing_is_merged_for_half_precision_bases_disabled_or_already_merged_adapters()
    {
        using var half = ToyLlama.Small();
        var halfAdapters = LoraInjector.Inject(half, new LoraConfig { R = 2 }, seed: 1);
        halfAdapters.Layers.Values.First().BaseLayer.to(ScalarType.BFloat16);
        Assert.Null(MergedInference.Open(halfAdapters));

        using var model = ToyLlama.Small();
        var adapters = LoraInjector.Inject(model, new LoraConfig { R = 2 }, seed: 1);
        using (adapters.Disabled()) Assert.Null(MergedInference.Open(adapters));
        adapters.MergeAll();
        Assert.Null(MergedInference.Open(adapters));
        adapters.UnmergeAll();
        using var scope = MergedInference.Open(adapters);
        Assert.NotNull(scope);
    }
}
