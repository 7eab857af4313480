using LoraPar.Adapters.Masks;
using LoraPar.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Tests.Masks;

public sealed class MaskedAdamWTests : TorchTest
{
    private static readonly (string Key, long[] Shape)[] Shapes =
        [("l.q_proj.lora_A", [4, 32]), ("l.q_proj.lora_B", [32, 4]), ("l.down_proj.lora_A", [4, 48]), ("l.down_proj.lora_B", [32, 4])];

    private static Dictionary<string, Parameter> Parameters(long seed)
    {
        using var g = new Generator((ulong)seed, CPU);
        return Shapes.ToDictionary(s => s.Key, s => new Parameter(randn(s.Shape, generator: g), requires_grad: true));
    }

    private static Dictionary<string, Parameter> Copy(Dictionary<string, Parameter> source) =>
        source.ToDictionary(kv => kv.Key, kv => new Parameter(kv.Value.detach().clone(), requires_grad: true));

    [Fact]
    public void Fifty_steps_with_weight_decay_keep_frozen_elements_bit_identical_and_match_dense_AdamW_on_active_ones()
    {
        var masked = Parameters(1);
        var dense = Copy(masked);
        var initial = masked.ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        using var masks = LoraMaskSet.Random(masked, 0.4, seed: 2);
        var options = new AdamWOptions { LearningRate = 1e-2, Beta1 = 0.9, Beta2 = 0.99, Eps = 1e-8, WeightDecay = 0.1 };
        using var optimizer = new MaskedAdamW(masked, masks, options);
        var reference = optim.AdamW(dense.Values, lr: 1e-2, beta1: 0.9, beta2: 0.99, eps: 1e-8, weight_decay: 0.1);
        using var g = new Generator(3, CPU);
        for (var step = 0; step < 50; step++)
        {
            var lr = 1e-2 * (1 - step / 100.0);                      // a schedule: the rate changes every step
            optimizer.LearningRate = lr;
            foreach (var group in reference.ParamGroups) group.LearningRate = lr;
            foreach (var (key, p) in masked)
            {
                using var grad = randn(p.shape, generator: g);
                p.grad = grad.clone();
                dense[key].grad = grad.clone();
            }
            optimizer.Step();
            reference.step();
        }
        Assert.Equal(50, optimizer.StepCount);
        foreach (var (key, p) in masked)
        {
            var mask = masks.Masks[key];
            var frozen = mask.logical_not();
            Assert.True(Same(p.masked_select(frozen), initial[key].masked_select(frozen)), $"{key}: a frozen element moved");
            var active = p.masked_select(mask);
            Assert.True((active - dense[key].masked_select(mask)).abs().max().item<float>() < 1e-6, $"{key}: active elements differ from dense AdamW");
            Assert.False(Same(active, initial[key].masked_select(mask)), $"{key}: active elements did not move");
        }
    }

    [Fact]
    public void All_active_and_all_frozen_tensors_take_the_in_place_and_skip_paths()
    {
        var masked = Parameters(6);
        var dense = Copy(masked);
        var initial = masked.ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        using var masks = new LoraMaskSet(masked.ToDictionary(kv => kv.Key,
            kv => kv.Key.EndsWith("lora_A") ? ones_like(kv.Value, dtype: ScalarType.Bool) : zeros_like(kv.Value, dtype: ScalarType.Bool)));
        using var optimizer = new MaskedAdamW(masked, masks, new AdamWOptions { LearningRate = 1e-2, WeightDecay = 0.1 });
        var reference = optim.AdamW(dense.Values, lr: 1e-2, weight_decay: 0.1);
        for (var step = 0; step < 5; step++)
        {
            foreach (var (key, p) in masked)
            {
                using var grad = p.detach().cos();
                p.grad = grad.clone();
                dense[key].grad = grad.clone();
            }
            optimizer.Step();
            reference.step();
        }
        foreach (var (key, p) in masked)
        {
            if (key.EndsWith("lora_A")) Assert.True(RelativeError(p, dense[key]) < 1e-6, key);
            else Assert.True(Same(p, initial[key]), key);
        }
    }

    [Fact]
    public void State_is_two_packed_moments_of_the_active_count()
    {
        var parameters = Parameters(1);
        using var masks = LoraMaskSet.Random(parameters, 0.4, seed: 2);
        using var optimizer = new MaskedAdamW(parameters, masks, new AdamWOptions());
        var total = Shapes.Sum(s => s.Shape[0] * s.Shape[1]);
        Assert.Equal((long)Math.Round(0.4 * total), optimizer.TrainableElements);
        Assert.Equal(2 * optimizer.TrainableElements * sizeof(float), optimizer.StateBytes);
        Assert.Equal(optimizer.TrainableElements * sizeof(int), optimizer.IndexBytes);
        using var all = LoraMaskSet.AllActive(parameters);
        using var dense = new MaskedAdamW(parameters, all, new AdamWOptions());
        Assert.Equal(2 * total * sizeof(float), dense.StateBytes);
        Assert.Equal(0, dense.IndexBytes);
    }

    [Fact]
    public void Saved_state_resumes_exactly()
    {
        var straight = Parameters(4);
        var resumed = Copy(straight);
        using var masks = LoraMaskSet.Random(straight, 0.5, seed: 5);
        var options = new AdamWOptions { LearningRate = 1e-2, WeightDecay = 0.1 };
        using var a = new MaskedAdamW(straight, masks, options);
        var b = new MaskedAdamW(resumed, masks, options);
        var path = Path.Combine(Path.GetTempPath(), $"adamw-{Guid.NewGuid():N}.safetensors");
        for (var step = 0; step < 6; step++)
        {
            if (step == 3)
            {
                b.SaveState(path);
                b.Dispose();
                b = new MaskedAdamW(resumed, masks, options);
                b.LoadState(path);
                Assert.Equal(3, b.StepCount);
            }
            foreach (var key in straight.Keys)
            {
                using var grad = full(straight[key].shape, step + 1.0f) * straight[key].detach().sign();
                straight[key].grad = grad.clone();
                resumed[key].grad = grad.clone();
            }
            a.Step();
            b.Step();
        }
        b.Dispose();
        Assert.All(straight, kv => Assert.True(Same(kv.Value, resumed[kv.Key])));
        File.Delete(path);
    }

    [Fact]
    public void State_of_another_mask_is_refused()
    {
        var parameters = Parameters(1);
        using var m1 = LoraMaskSet.Random(parameters, 0.4, 1);
        using var m2 = LoraMaskSet.Random(parameters, 0.3, 1);
        using var a = new MaskedAdamW(parameters, m1, new AdamWOptions());
        using var b = new MaskedAdamW(parameters, m2, new AdamWOptions());
        var path = Path.Combine(Path.GetTempPath(), $"adamw-{Guid.NewGuid():N}.safetensors");
        a.SaveState(path);
        Assert.Contains("different mask", Assert.Throws<BadInputException>(() => b.LoadState(path)).Message);
        File.Delete(path);
    }

    [Fact]
    public void Masks_that_do_not_cover_the_tensors_are_refused()
    {
        var parameters = Parameters(1);
        using var masks = new LoraMaskSet(new Dictionary<string, Tensor> { ["l.q_proj.lora_A"] = ones(4, 32, dtype: ScalarType.Bool) });
        Assert.Contains("no mask for", Assert.Throws<BadInputException>(() => new MaskedAdamW(parameters, masks, new AdamWOptions())).Message);
    }
}
