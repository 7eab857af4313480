using LoraPar.Model.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Tests.Llama;

public sealed class CpuMatvecTests : TorchTest
{
    [Fact]
    public void Multiplies_a_row_by_a_row_major_in_by_out_matrix()
    {
        // x = (1, 2, 3); W rows (1, 0), (0, 1), (1, 1) → y = (1 + 3, 2 + 3) = (4, 5)
        float[] y = [10, 20];
        CpuMatvec.Accumulate([1, 2, 3], [1, 0, 0, 1, 1, 1], y, inputs: 3, outputs: 2);
        Assert.Equal([14f, 25f], y);
    }

    [Theory]
    [InlineData(8, 8)]
    [InlineData(17, 11)]
    [InlineData(64, 1536)]
    [InlineData(5, 3)]
    public void Equals_torch_matmul_with_and_without_bias_for_any_shape_including_tails(int inputs, int outputs)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(5, CPU);
        var x = torch.randn(1, 1, inputs, generator: generator);                          // (1, 1, in)
        var w = torch.randn(inputs, outputs, generator: generator);                       // (in, out)
        var b = torch.randn(outputs, generator: generator);
        Assert.True(CpuMatvec.Applies(x, w) || !System.Runtime.Intrinsics.X86.Fma.IsSupported);
        if (!CpuMatvec.Applies(x, w)) return;
        Assert.True(CpuMatvec.Multiply(x, w, null).allclose(torch.matmul(x.view(1, inputs), w), rtol: 1e-5, atol: 1e-5));
        Assert.True(CpuMatvec.Multiply(x, w, b).allclose(torch.matmul(x.view(1, inputs), w) + b, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Applies_only_to_one_float32_row_and_a_contiguous_cpu_weight()
    {
        using var scope = torch.NewDisposeScope();
        var w = torch.randn(4, 6);
        Assert.False(CpuMatvec.Applies(torch.randn(2, 4), w));                            // two rows
        Assert.False(CpuMatvec.Applies(torch.randn(1, 4, dtype: ScalarType.Float64), w.to(ScalarType.Float64)));
        Assert.False(CpuMatvec.Applies(torch.randn(1, 4), torch.randn(6, 4).t()));        // (in, out) view of an (out, in) block
        Assert.False(CpuMatvec.Applies(torch.randn(1, 5), w));                            // wrong width
    }
}
