using System.Runtime.InteropServices;

namespace LoraPar.Model.Runtime;

/// <summary>
/// Answers MKL's CPU-vendor check "Intel" inside this process. MKL picks its kernels in two steps: a vendor check
/// (<c>mkl_serv_intel_cpu_true</c>, <c>mkl_serv_intel_cpu</c>, both exported by <c>libtorch_cpu.so</c>), then the
/// instruction sets <c>cpuid</c> reports; on a non-Intel CPU the first step caps it at AVX2, whatever the CPU has. The
/// entry of each check in the loaded library's (copy-on-write) code page is overwritten with <c>mov eax, 1; ret</c>.
/// MKL runs the check once, at its first computation, and keeps the answer, so this must happen after libtorch loads
/// and before any tensor is computed. Nothing is written to disk and no native binary ships with lorapar.
/// </summary>
internal static class MklVendorCheck
{
    private static readonly string[] Checks = ["mkl_serv_intel_cpu_true", "mkl_serv_intel_cpu"];

    /// <summary><c>mov eax, 1; ret</c>: both checks return int 1 for "Intel".</summary>
    private static readonly byte[] ReturnOne = [0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3];

    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4;

    /// <summary>Overwrites both checks of the MKL in <paramref name="library"/>; null when done, else why not (nothing changed then).</summary>
    public static string? Bypass(nint library)
    {
        var entries = new nint[Checks.Length];
        for (var i = 0; i < Checks.Length; i++)
            if (!NativeLibrary.TryGetExport(library, Checks[i], out entries[i])) return $"{Checks[i]} is not exported";
        foreach (var entry in entries)
            if (Overwrite(entry) is { } failure) return failure;
        return null;
    }

    /// <summary>Whether the check at <paramref name="entry"/> already returns 1 through <see cref="ReturnOne"/>.</summary>
    internal static bool IsBypassed(nint entry)
    {
        var current = new byte[ReturnOne.Length];
        Marshal.Copy(entry, current, 0, current.Length);
        return current.AsSpan().SequenceEqual(ReturnOne);
    }

    private static string? Overwrite(nint entry)
    {
        if (IsBypassed(entry)) return null;
        var page = (nint)Environment.SystemPageSize;
        var start = entry & ~(page - 1);
        var length = (nuint)(entry + ReturnOne.Length - start);
        if (mprotect(start, length, ProtRead | ProtWrite | ProtExec) != 0)
            return $"the code page could not be made writable (mprotect errno {Marshal.GetLastPInvokeError()})";
        Marshal.Copy(ReturnOne, 0, entry, ReturnOne.Length);
        return mprotect(start, length, ProtRead | ProtExec) == 0 ? null
            : $"the code page could not be made read-only again (mprotect errno {Marshal.GetLastPInvokeError()})";
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mprotect(nint address, nuint length, int protection);
}
