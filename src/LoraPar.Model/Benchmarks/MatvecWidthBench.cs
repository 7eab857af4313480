using System.Runtime.InteropServices;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Benchmarks;

/// <summary>
/// <see cref="CpuMatvec"/>'s 512-bit kernel against its 256-bit one on one packed (in, out) fp32 weight, one thread,
/// both widths alternating in the same process: how much of decoding's weight stream the wider vectors buy.
/// </summary>
internal sealed class MatvecWidthBench(int inputs, int outputs) : IDisposable
{
    private readonly Tensor _packed = CpuMatvec.Pack(torch.randn(inputs, outputs, generator: new torch.Generator(3, CPU)).Times(0.02f));  // (in/8, out/8, 8, 8)
    private readonly float[] _x = Enumerable.Range(0, inputs).Select(i => MathF.Sin(i)).ToArray();
    private readonly float[] _y = new float[outputs];

    /// <summary>Bytes one pass reads.</summary>
    public double Bytes => _packed.numel() * (double)sizeof(float);

    /// <summary>Best seconds of one pass at <paramref name="width"/> over <paramref name="repeats"/> passes.</summary>
    public double Seconds(KernelWidth width, int repeats)
    {
        var packed = MemoryMarshal.Cast<byte, float>(_packed.bytes);
        var best = double.MaxValue;
        for (var r = 0; r < repeats; r++)
        {
            Array.Clear(_y);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            CpuMatvec.Accumulate(_x, packed, _y, inputs, outputs, width);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    public void Dispose() => _packed.Dispose();
}
