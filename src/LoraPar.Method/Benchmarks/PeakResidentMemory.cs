using System.Diagnostics;

namespace LoraPar.Method.Benchmarks;

/// <summary>
/// The process's peak resident set (working set), in MiB. On Linux the peak can be reset (<c>/proc/self/clear_refs</c>,
/// value 5) so that it covers one measured section; elsewhere it is the peak since the process started. CPU memory only:
/// tensors on a GPU are not counted.
/// </summary>
public static class PeakResidentMemory
{
    private const string ClearRefs = "/proc/self/clear_refs";

    /// <summary>Starts a new peak window; false where the platform keeps the lifetime peak.</summary>
    public static bool Reset()
    {
        try
        {
            File.WriteAllText(ClearRefs, "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Hands the C heap's free pages back to the system (glibc's <c>malloc_trim(0)</c>), so that memory a previous section
    /// freed but the allocator kept neither counts as resident nor hides a later section's allocations; false where there
    /// is no glibc.
    /// </summary>
    public static bool ReturnFreedHeap()
    {
        try
        {
            return malloc_trim(0) != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);

    /// <summary>The resident set now, in MiB.</summary>
    public static double CurrentMib()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>The peak resident set since the last <see cref="Reset"/> (or process start), in MiB.</summary>
    public static double PeakMib()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
