using System.Diagnostics;
using System.Globalization;

namespace LoraPar.Pipeline.Planning;

/// <summary>The first GPU's total memory as <c>nvidia-smi</c> reports it (TorchSharp has no query for it), or null where it does not run.</summary>
public static class GpuMemoryQuery
{
    /// <summary>Bytes, or null.</summary>
    public static double? FirstGpu()
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi", "--query-gpu=memory.total --format=csv,noheader,nounits")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null) return null;
            var line = process.StandardOutput.ReadLine();
            if (!process.WaitForExit(5000) || process.ExitCode != 0) return null;
            return double.TryParse(line?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var mib) ? mib * (1 << 20) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
