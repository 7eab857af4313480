using LoraPar.Model.Llama;
using TorchSharp;

namespace LoraPar.Model.Tests.Llama;

public sealed class RmsNormTests : TorchTest
{
    [Fact]
    public void Divides_by_the_root_mean_square_and_scales_by_the_weight()
    {
        using var norm = new RmsNorm(2, eps: 0.5, torch.ScalarType.Float32, torch.CPU);
        using (torch.no_grad()) norm.weight.copy_(torch.tensor(new[] { 1f, 2f }));
        using var x = torch.tensor(new[] { 3f, 4f }).view(1, 1, 2);
        // mean(x²) = 12.5, + ε = 13, 1/√13 = 0.27735
        var y = norm.call(x).data<float>().ToArray();
        Assert.Equal(3 / Math.Sqrt(13), y[0], 5);
        Assert.Equal(2 * 4 / Math.Sqrt(13), y[1], 5);
    }

    [Fact]
    public void Bfloat16_input_is_normalised_in_float32_and_returned_as_bfloat16()
    {
        using var norm = new RmsNorm(4, 1e-6, torch.ScalarType.BFloat16, torch.CPU);
        using (torch.no_grad()) norm.weight.fill_(1);
        using var x = torch.tensor(new[] { 1f, -1f, 1f, -1f }).view(1, 1, 4).to(torch.ScalarType.BFloat16);
        var y = norm.call(x);
        Assert.Equal(torch.ScalarType.BFloat16, y.dtype);
        Assert.Equal([1f, -1f, 1f, -1f], y.to(torch.ScalarType.Float32).data<float>().ToArray());
    }

    [Fact]
    public void A_single_row_without_gradients_is_normalised_in_one_pass_to_the_same_values()
    {
        float[] y = new float[2];
        RmsNorm.NormalizeRow([3f, 4f], [1f, 2f], y, eps: 0.5);                    // mean(x²) = 12.5, + ε = 13
        Assert.Equal(3 / Math.Sqrt(13), y[0], 5);
        Assert.Equal(2 * 4 / Math.Sqrt(13), y[1], 5);

        using var norm = new RmsNorm(64, 1e-5, torch.ScalarType.Float32, torch.CPU);
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(3, torch.CPU);
        using (torch.no_grad()) norm.weight.copy_(torch.rand(64, generator: generator) + 0.5);
        var rows = torch.randn(3, 1, 64, generator: generator);
        var together = norm.call(rows);                                              // several rows: tensor ops
        using var noGrad = torch.no_grad();
        for (var r = 0; r < 3; r++)
            Assert.True(norm.call(rows[r].view(1, 1, 64)).allclose(together[r].view(1, 1, 64), rtol: 1e-6, atol: 1e-6));
    }
}
