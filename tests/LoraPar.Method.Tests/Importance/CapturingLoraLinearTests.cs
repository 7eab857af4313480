using LoraPar.Adapters;
using LoraPar.Method.Importance;
using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Importance;

/// <summary>
/// Both capture forms on a hand-computed 2 → 2 layer: W = I, A = [1 2], B = [1; −1], s = 2, so s·B·A = [2 4; −2 −4] and
/// the merged weight is [3 4; −2 −3]. For x = [1 1]: h = 3, y = s·h·B = (6, −6), base(x) + y = (7, −5). With
/// L = 1·out₀ + 2·out₁ (∂L/∂y = (1, 2)): ∂L/∂B = s·(1, 2)ᵀ·h = [6; 12] and ∂L/∂A = s·(Bᵀ(1, 2))·x = 2·(−1)·[1 1] = [−2 −2].
/// </summary>
public sealed class CapturingLoraLinearTests
{
    public CapturingLoraLinearTests() => TorchRuntime.EnsureInitialized();

    private static LoraLinear HandLayer()
    {
        var linear = nn.Linear(2, 2, hasBias: false);
        using (no_grad()) linear.weight!.copy_(eye(2));
        using var a = tensor(new float[] { 1, 2 }, [1, 2]);     // (r, in)
        using var b = tensor(new float[] { 1, -1 }, [2, 1]);    // (out, r)
        return new LoraLinear(linear, a, b, scaling: 2.0, dropout: 0);
    }

    [Theory]
    [InlineData(LoraCaptureForm.MergedWeight)]
    [InlineData(LoraCaptureForm.SeparateBranch)]
    public void Output_capture_and_per_example_gradients_match_the_hand_computation(LoraCaptureForm form)
    {
        using var layer = HandLayer();
        using var scope = NewDisposeScope();
        using var wrapper = new CapturingLoraLinear(layer, form);
        var x = tensor(new float[] { 1, 1 }, [1, 1, 2]);                  // (B, T, in); requires no grad, like the first layer's input
        var output = wrapper.call(x);                                     // (B, T, out)
        Assert.Equal(new float[] { 7, -5 }, output.data<float>().ToArray());
        var capture = wrapper.Last!;
        Assert.Equal(3f, capture.Rank.item<float>());

        var loss = (output * tensor(new float[] { 1, 2 })).sum();
        var gy = torch.autograd.grad([loss], [capture.Output])[0];        // (B, T, out) = ∂L/∂y
        Assert.Equal(new float[] { 1, 2 }, gy.data<float>().ToArray());
        using var gradients = PerExampleLoraGradients.Compute(capture.Input, capture.Rank, gy, wrapper.B, wrapper.Scaling);
        Assert.Equal(new float[] { -2, -2 }, gradients.A.contiguous().data<float>().ToArray());   // (1, r, in)
        Assert.Equal(new float[] { 6, 12 }, gradients.B.contiguous().data<float>().ToArray());    // (1, out, r)
    }

    [Fact]
    public void The_merged_form_leaves_the_base_weight_and_the_factors_as_they_were()
    {
        using var layer = HandLayer();
        using (var wrapper = new CapturingLoraLinear(layer, LoraCaptureForm.MergedWeight))
        {
            using var scope = NewDisposeScope();
            wrapper.call(ones(1, 1, 2));
        }
        Assert.Equal(new float[] { 1, 0, 0, 1 }, layer.BaseLayer.weight!.data<float>().ToArray());
        Assert.Equal(new float[] { 1, 2 }, layer.LoraA.data<float>().ToArray());
        Assert.Equal(new float[] { 1, -1 }, layer.LoraB.data<float>().ToArray());
        Assert.Null(layer.LoraA.grad);
        Assert.False(layer.BaseLayer.weight!.requires_grad && layer.BaseLayer.weight.grad is not null);
    }

    [Fact]
    public void A_merged_or_disabled_adapter_cannot_be_captured()
    {
        using var layer = HandLayer();
        layer.Merge();
        Assert.Contains("merged", Assert.Throws<InvalidOperationException>(() => new CapturingLoraLinear(layer)).Message);
        layer.Unmerge();
        layer.Enabled = false;
        Assert.Contains("disabled", Assert.Throws<InvalidOperationException>(() => new CapturingLoraLinear(layer)).Message);
    }
}
