using System.Runtime.InteropServices;

namespace LoraPar.Model.Runtime;

/// <summary>
/// The instruction set libtorch's own CPU kernels (ATen's elementwise ops, reductions, softmax, attention) are dispatched
/// to. ATen picks it once per process from the CPU, capped by <c>ATEN_CPU_CAPABILITY</c> (<c>default</c>, <c>avx2</c>,
/// <c>avx512</c>). Its vector width sets the order of every vectorised sum, so two CPUs agree bit for bit only on one capability.
/// </summary>
public static class AtenCapability
{
    /// <summary>The variable ATen reads at its first dispatch.</summary>
    public const string Variable = "ATEN_CPU_CAPABILITY";

    /// <summary>The value the AVX2 reproducibility path (<see cref="MklPathChoice.Avx2"/>) sets.</summary>
    public const string Avx2 = "avx2";

    private const string Export = "_ZN2at18get_cpu_capabilityB5cxx11Ev";   // std::string at::get_cpu_capability()
    private const int StringSize = 32;                                      // libstdc++'s std::string: pointer, length, 16-byte buffer

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nint ReturnsString(nint result);

    /// <summary>
    /// ATen's answer, e.g. <c>AVX2</c>, <c>AVX512</c> or <c>NO AVX</c>, read from the loaded <c>libtorch_cpu.so</c>;
    /// empty where the library does not export it.
    /// </summary>
    public static string Read(nint library)
    {
        if (!NativeLibrary.TryGetExport(library, Export, out var entry)) return "";
        var result = Marshal.AllocHGlobal(StringSize);
        try
        {
            Marshal.GetDelegateForFunctionPointer<ReturnsString>(entry)(result);   // the caller owns the returned object's storage
            var characters = Marshal.ReadIntPtr(result);
            var length = (int)Marshal.ReadInt64(result, IntPtr.Size);
            return Marshal.PtrToStringUTF8(characters, length);   // names are short, so they sit in the object's own buffer
        }
        finally
        {
            Marshal.FreeHGlobal(result);
        }
    }
}
