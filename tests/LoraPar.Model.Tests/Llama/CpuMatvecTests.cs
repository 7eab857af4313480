using LoraPar.Model.Runtime;
using LoraPar.Model.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Tests.Llama;

public sealed class CpuMatvecTests : TorchTest
{
    private static bool Available => System.Runtime.Intrinsics.X86.Fma.IsSupported && System.Runtime.Intrinsics.X86.Avx.IsSupported;

    [Fact]
    public void Packs_eight_by_eight_panels_in_input_block_then_output_block_order()
    {
        using var scope = torch.NewDisposeScope();
        var w = torch.arange(16 * 16, dtype: ScalarType.Float32).view(16, 16);                 // (in, out), w[i, j] = 16 i + j
        var packed = CpuMatvec.Pack(w);                                                           // (2, 2, 8, 8)
        Assert.Equal(new long[] { 2, 2, 8, 8 }, packed.shape);
        Assert.Equal(16f * 8 + 8, packed[1, 1, 0, 0].item<float>());                              // panel (rows 8–15, outputs 8–15) starts at w[8, 8]
        Assert.Equal(16f * 9 + 10, packed[1, 1, 1, 2].item<float>());                             // then w[9, 10]
        Assert.Equal(8f, packed[0, 1, 0, 0].item<float>());                                      // second panel of the first rows: w[0, 8]
    }

    [Fact]
    public void Packing_blocks_side_by_side_equals_packing_their_concatenation()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(6, CPU);
        var a = torch.randn(16, 5, generator: generator);                                        // widths that cut panels
        var b = torch.randn(16, 13, generator: generator);
        var c = torch.randn(13, 16, generator: generator).t();                                   // (in, out) view, not contiguous
        Assert.True(CpuMatvec.Pack([a, b, c]).equal(CpuMatvec.Pack(torch.cat([a, b, c], 1))).all().item<bool>());
        Assert.Equal(new long[] { 2, 4, 8, 8 }, CpuMatvec.Pack([a, b, c]).shape);                 // 31 outputs padded to 32
    }

    [Fact]
    public void Multiplies_a_row_by_a_packed_matrix()
    {
        // x = (1, …, 1, 2) over 8 inputs; W[i, j] = 1 if i == j else 0 for j < 8 → y = x; bias (10, …) added
        if (!Available) return;
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1, 1, 1, 1, 1, 1, 1, 2 });
        var packed = CpuMatvec.Pack(torch.eye(8));
        var y = CpuMatvec.Multiply(x, packed, 8, torch.full(8, 10f)).data<float>().ToArray();
        Assert.Equal([11f, 11, 11, 11, 11, 11, 11, 12], y);
    }

    [Theory]
    [InlineData(8, 8)]
    [InlineData(16, 11)]
    [InlineData(64, 1536)]
    [InlineData(32, 50)]
    public void Equals_torch_matmul_with_and_without_bias_including_padded_outputs(int inputs, int outputs)
    {
        if (!Available) return;
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(5, CPU);
        var x = torch.randn(1, 1, inputs, generator: generator);                                 // (1, 1, in)
        var w = torch.randn(inputs, outputs, generator: generator);                              // (in, out)
        var b = torch.randn(outputs, generator: generator);
        Assert.True(CpuMatvec.CanPack(inputs, outputs, ScalarType.Float32, DeviceType.CPU));
        var packed = CpuMatvec.Pack(w);
        var expected = torch.matmul(x.view(1, inputs), w);                                       // (1, out)
        foreach (var width in Enum.GetValues<KernelWidth>())
        {
            Assert.True(CpuMatvec.Multiply(x, packed, outputs, null, width: width).allclose(expected, rtol: 1e-5, atol: 1e-5));
            Assert.True(CpuMatvec.Multiply(x, packed, outputs, b, width: width).allclose(expected + b, rtol: 1e-5, atol: 1e-5));
        }
    }

    [Fact]
    public void The_512_bit_and_the_avx2_kernels_agree_and_each_is_deterministic()
    {
        if (!Available) return;
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(8, CPU);
        var x = torch.randn(1, 512, generator: generator);
        var packed = CpuMatvec.Pack(torch.randn(512, 200, generator: generator));                // (64, 25, 8, 8)
        var wide = CpuMatvec.Multiply(x, packed, 200, null, width: KernelWidth.Widest);
        var narrow = CpuMatvec.Multiply(x, packed, 200, null, width: KernelWidth.Avx2);
        Assert.True(wide.allclose(narrow, rtol: 1e-5, atol: 1e-5));
        Assert.True(wide.equal(CpuMatvec.Multiply(x, packed, 200, null, width: KernelWidth.Widest)).all().item<bool>());
        Assert.Equal(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, KernelWidths.Uses512(KernelWidth.Widest));
        Assert.False(KernelWidths.Uses512(KernelWidth.Avx2));
    }

    [Fact]
    public void Decoding_runs_512_bit_only_where_the_process_is_not_on_the_avx2_reproducibility_path()
    {
        var info = TorchRuntime.EnsureInitialized();
        var expected = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && info.Mkl.Choice != MklPathChoice.Avx2;
        Assert.Equal(expected, KernelWidths.Uses512(KernelWidth.Process));
        Assert.Equal(expected ? 512 : info.Cpu.Isa == VectorIsa.Baseline ? 128 : 256, info.CSharpBits);
        Assert.Contains($"c# {info.CSharpBits}-bit", info.Kernels);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Streaming_a_large_weight_in_parallel_parts_gives_the_one_thread_result(int threads)
    {
        if (!Available) return;
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(7, CPU);
        var x = torch.randn(1, 256, generator: generator);
        var w = torch.randn(256, 300, generator: generator);                                     // 300 KB packed: above ParallelBytes
        var b = torch.randn(300, generator: generator);
        var packed = CpuMatvec.Pack(w);
        Assert.True(packed.numel() * sizeof(float) >= CpuMatvec.ParallelBytes);
        foreach (var width in Enum.GetValues<KernelWidth>())
        {
            var single = CpuMatvec.Multiply(x, packed, 300, b, width: width);
            var parallel = CpuMatvec.Multiply(x, packed, 300, b, threads, width);
            Assert.True(parallel.allclose(single, rtol: 1e-5, atol: 1e-5));
            Assert.True(parallel.allclose(torch.matmul(x, w) + b, rtol: 1e-5, atol: 1e-4));
            Assert.True(parallel.equal(CpuMatvec.Multiply(x, packed, 300, b, threads, width)).all().item<bool>());   // deterministic per thread count
        }
    }

    [Fact]
    public void Packs_only_float32_cpu_weights_with_a_multiple_of_eight_inputs()
    {
        Assert.False(CpuMatvec.CanPack(12, 8, ScalarType.Float32, DeviceType.CPU));
        Assert.False(CpuMatvec.CanPack(16, 8, ScalarType.BFloat16, DeviceType.CPU));
        Assert.False(CpuMatvec.CanPack(16, 8, ScalarType.Float32, DeviceType.CUDA));
        Assert.Equal(Available, CpuMatvec.CanPack(16, 9, ScalarType.Float32, DeviceType.CPU));
        Assert.Equal(16, CpuMatvec.PaddedOutputs(9));
    }
}
