using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Benchmarks;

/// <summary>In-process hardware ceilings that model figures are divided by: fp32 matmul FLOP/s and memory read bandwidth.</summary>
public static class MachinePeaks
{
    /// <summary>Best FLOP/s over square fp32 matmuls of <paramref name="sizes"/> (2n³ FLOPs each), <paramref name="repeats"/> timings per size.</summary>
    public static double MatmulFlops(Device device, IReadOnlyList<int> sizes, int repeats)
    {
        var best = 0.0;
        using var noGrad = torch.no_grad();
        foreach (var n in sizes)
        {
            using var scope = torch.NewDisposeScope();
            var a = torch.randn(n, n, device: device);
            var b = torch.randn(n, n, device: device);
            torch.mm(a, b).Dispose();   // warm-up
            for (var r = 0; r < repeats; r++)
            {
                var seconds = Time(device, () => torch.mm(a, b).Dispose());
                best = Math.Max(best, 2.0 * n * n * n / seconds);
            }
        }
        return best;
    }

    /// <summary>Best bytes/s reading a <paramref name="megabytes"/> MB fp32 tensor in a sum reduction.</summary>
    public static double ReadBandwidth(Device device, int megabytes, int repeats)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        long elements = megabytes * (1L << 20) / 4;
        var x = torch.rand(elements, device: device);
        x.sum().Dispose();   // warm-up: pages touched
        var best = 0.0;
        for (var r = 0; r < repeats; r++)
        {
            var seconds = Time(device, () => x.sum().Dispose());
            best = Math.Max(best, elements * 4.0 / seconds);
        }
        return best;
    }

    /// <summary>Wall seconds of <paramref name="action"/>, the device synchronised before and after.</summary>
    public static double Time(Device device, Action action)
    {
        Sync(device);
        var clock = Stopwatch.StartNew();
        action();
        Sync(device);
        return clock.Elapsed.TotalSeconds;
    }

    private static void Sync(Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
    }
}
