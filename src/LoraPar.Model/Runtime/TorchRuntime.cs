using LoraPar.Core;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using TorchSharp;

namespace LoraPar.Model.Runtime;

/// <summary>What <see cref="TorchRuntime.EnsureInitialized"/> found and did.</summary>
/// <param name="NativeLibrary">Path of TorchSharp's native library, or null where TorchSharp located it itself.</param>
/// <param name="PatchedVersions">Version needs that were marked weak to load on this host (empty when none were needed).</param>
/// <param name="CudaAvailable">Whether a CUDA device can be used.</param>
/// <param name="Cpu">The host CPU: vendor, model, widest vector ISA.</param>
/// <param name="Mkl">MKL's code path in this process (see <see cref="MklPathChoice"/>).</param>
/// <param name="Aten">The instruction set ATen's own kernels run (<see cref="AtenCapability"/>), e.g. <c>AVX2</c>; empty where libtorch does not say.</param>
public sealed record TorchRuntimeInfo(string? NativeLibrary, IReadOnlyList<string> PatchedVersions, bool CudaAvailable, CpuIdentity Cpu, MklSetup Mkl,
    string Aten)
{
    /// <summary>
    /// The vector width of lorapar's C# CPU kernels in this process: 512 where .NET accelerates it, except on the AVX2
    /// reproducibility path (<see cref="MklPathChoice.Avx2"/>), which holds them at 256 like MKL and ATen.
    /// </summary>
    public int CSharpBits => Cpu.Vector512Accelerated && Mkl.Choice != MklPathChoice.Avx2 ? 512 : Cpu.Isa == VectorIsa.Baseline ? 128 : 256;

    /// <summary>
    /// Which kernels compute results in this process and on how many threads, for recorded environments, e.g.
    /// <c>mkl 2024.2 avx512 (vendor check bypassed); aten avx512; c# 512-bit; 2 threads</c>.
    /// </summary>
    public string Kernels => $"{Mkl.Tag}; aten {(Aten.Length == 0 ? "unknown" : Aten.ToLowerInvariant())}; c# {CSharpBits}-bit; {torch.get_num_threads()} threads";
}

/// <summary>TorchSharp could not be initialised; the message says why and what to do.</summary>
public sealed class TorchRuntimeException(string message, Exception? inner = null)
    : LoraParException(FailureKind.JobFailed, message, inner);

/// <summary>
/// Loads TorchSharp's native library before its first use. On hosts whose libstdc++ is older than the one
/// TorchSharp was linked against (Debian 12, Ubuntu 22.04), the loader rejects <c>libLibTorchSharp.so</c> for a
/// version need (<c>GLIBCXX_3.4.32</c>) that only marks a symbol nothing calls. Such needs are marked weak in the
/// library file next to TorchSharp (written atomically), after which it loads. Hosts with a new libstdc++ are left untouched.
/// Between that load and the first computation, MKL is set up for the process's <see cref="MklPathChoice"/>.
/// </summary>
public static partial class TorchRuntime
{
    private static readonly Lazy<TorchRuntimeInfo> Initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Initialises TorchSharp once per process; throws <see cref="TorchRuntimeException"/> with a one-line cause.</summary>
    public static TorchRuntimeInfo EnsureInitialized() => Initialized.Value;

    /// <summary>Whether the native runtime has been set up in this process (after which the MKL path is fixed).</summary>
    public static bool IsLoaded => Initialized.IsValueCreated;

    private static TorchRuntimeInfo Initialize()
    {
        PreferPassiveThreadWaiting();
        ThreadCount.BeforeLoad();
        var choice = MklPathChoices.FromEnvironment();
        var cpu = CpuIdentity.Detect();
        MklPreparation.BeforeLoad(choice);
        var native = OperatingSystem.IsLinux() ? FindNativeLibrary() : null;
        var patched = native is null ? [] : LoadPatchingIfNeeded(native);
        var mkl = MklPreparation.AfterLoad(choice, cpu, native);
        try
        {
            using var probe = torch.ones(1);
            ThreadCount.AfterLoad();
            var aten = OperatingSystem.IsLinux() && MklLibrary.Find(native) is { } library ? AtenCapability.Read(library) : "";
            return new TorchRuntimeInfo(native, patched, torch.cuda.is_available(), cpu, mkl, aten);
        }
        catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException)
        {
            throw new TorchRuntimeException(
                $"TorchSharp could not load its native library ({Innermost(e).Message.Split('\n')[0].Trim()}). " +
                "Rebuild so that the TorchSharp-cpu (or, with -p:TorchBackend=cuda, TorchSharp-cuda-linux) runtime files are next to the tool.", e);
        }
    }

    /// <summary>
    /// Sets <c>OMP_WAIT_POLICY=PASSIVE</c> in the native environment unless the user set a policy, before libtorch's
    /// OpenMP runtime reads it at load. By default idle OpenMP workers spin for a while after each parallel region; on a
    /// machine with more runnable processes than cores (laptops, CI, shared boxes) the spinning worker steals the core
    /// the main thread needs, and a batch-1 decoding step measured 3–10× slower. Sleeping workers cost microseconds.
    /// Only the C library's copy gets it: .NET's copy, which child processes inherit, keeps what the user set, so that a
    /// parallel run can give a job that runs alone <see cref="SpinWaits"/> (each lorapar child sets its own default).
    /// </summary>
    private static void PreferPassiveThreadWaiting()
    {
        if (OperatingSystem.IsLinux() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SpinWaits.Policy)))
            _ = NativeEnvironment.setenv(SpinWaits.Policy, "PASSIVE", 1);
    }

    /// <summary>Locates libLibTorchSharp.so where TorchSharp itself looks: next to TorchSharp.dll or under runtimes/&lt;rid&gt;/native.</summary>
    public static string? FindNativeLibrary()
    {
        var dir = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (string.IsNullOrEmpty(dir)) return null;
        string[] candidates =
        [
            Path.Combine(dir, "libLibTorchSharp.so"),
            Path.Combine(dir, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", "libLibTorchSharp.so"),
            Path.Combine(dir, "runtimes", "linux-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(), "native", "libLibTorchSharp.so"),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Loads <paramref name="library"/>; if the loader names missing symbol versions, marks them weak and retries.</summary>
    public static IReadOnlyList<string> LoadPatchingIfNeeded(string library)
    {
        var patched = new List<string>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var error = TryLoad(library);
            if (error is null) return patched;
            var missing = MissingVersions(error).Except(patched).ToHashSet();
            if (missing.Count == 0 || !PatchFile(library, missing))
                throw new TorchRuntimeException($"TorchSharp's native library {library} does not load: {error.Trim()}. " +
                    "Install a newer libstdc++ (GCC 13 or later) or run lorapar from a build whose folder is writable.");
            patched.AddRange(missing);
        }
        throw new TorchRuntimeException($"TorchSharp's native library {library} still does not load after patching {string.Join(", ", patched)}.");
    }

    /// <summary>Version names a dynamic-loader error reports as not found, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
    public static IReadOnlyList<string> MissingVersions(string loaderError) =>
        MissingVersionPattern().Matches(loaderError).Select(m => m.Groups[1].Value).Distinct().ToList();

    private static string? TryLoad(string library)
    {
        try
        {
            NativeLibrary.Load(library);
            return null;
        }
        catch (DllNotFoundException e)
        {
            return e.Message;
        }
    }

    private static bool PatchFile(string library, IReadOnlySet<string> versions)
    {
        var bytes = File.ReadAllBytes(library);
        if (ElfVersionNeeds.MarkWeak(bytes, versions) == 0) return false;
        var temp = Path.Combine(Path.GetDirectoryName(library)!, $".{Path.GetFileName(library)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, File.GetUnixFileMode(library));
            File.Move(temp, library, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            return false;
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    [GeneratedRegex(@"version `([A-Za-z_]+[0-9][0-9.]*)' not found")]
    private static partial Regex MissingVersionPattern();
}

/// <summary>The C library's environment, which native libraries (libgomp) read.</summary>
internal static class NativeEnvironment
{
    /// <summary>
    /// Sets <paramref name="name"/> in .NET's copy of the environment (which child processes get) and in the C library's
    /// (which native libraries read: .NET does not write it through); <paramref name="overwrite"/> false keeps a value already set.
    /// </summary>
    internal static void Export(string name, string value, bool overwrite)
    {
        if (!overwrite && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) return;
        Environment.SetEnvironmentVariable(name, value);
        _ = setenv(name, value, 1);
    }

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    internal static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    internal static extern IntPtr getenv(string name);
}
