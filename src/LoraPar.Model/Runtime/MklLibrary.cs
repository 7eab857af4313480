using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace LoraPar.Model.Runtime;

/// <summary>The MKL statically linked into <c>libtorch_cpu.so</c>, reached through that library's exports.</summary>
internal static partial class MklLibrary
{
    private const string LibTorchCpu = "libtorch_cpu.so";
    private const int CbwrBranchQuery = 1;   // MKL_CBWR_BRANCH

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void VersionString(byte[] buffer, int length);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int CbwrGet(int what);

    /// <summary>
    /// The already loaded <c>libtorch_cpu.so</c>: beside TorchSharp's native library when its folder is known, else by
    /// soname (the loader returns the loaded copy); null where none is loaded or it carries no MKL.
    /// </summary>
    public static nint? Find(string? nativeLibrary)
    {
        var beside = nativeLibrary is null ? null : Path.Combine(Path.GetDirectoryName(nativeLibrary)!, LibTorchCpu);
        foreach (var name in new[] { beside, LibTorchCpu })
            if (name is not null && NativeLibrary.TryLoad(name, out var handle) && NativeLibrary.TryGetExport(handle, "MKL_Get_Version_String", out _))
                return handle;
        return null;
    }

    /// <summary>MKL's version number, e.g. <c>2024.2</c> from "Intel(R) oneAPI Math Kernel Library Version 2024.2-Product Build …".</summary>
    public static string Version(nint library)
    {
        var call = Marshal.GetDelegateForFunctionPointer<VersionString>(NativeLibrary.GetExport(library, "MKL_Get_Version_String"));
        var buffer = new byte[256];
        call(buffer, buffer.Length - 1);
        var text = Encoding.ASCII.GetString(buffer).TrimEnd('\0');
        return VersionNumber().Match(text) is { Success: true } m ? m.Groups[1].Value : text.Trim();
    }

    /// <summary>The reproducibility branch MKL runs (<c>mkl_cbwr_get(MKL_CBWR_BRANCH)</c>); 0 where MKL does not say.</summary>
    public static int CbwrBranch(nint library) =>
        NativeLibrary.TryGetExport(library, "mkl_serv_cbwr_get", out var entry)
            ? Marshal.GetDelegateForFunctionPointer<CbwrGet>(entry)(CbwrBranchQuery) : 0;

    [GeneratedRegex(@"Version ([0-9][0-9.]*)")]
    private static partial Regex VersionNumber();
}
