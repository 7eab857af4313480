using System.Globalization;
using TorchSharp;

namespace LoraPar.Model.Runtime;

/// <summary>
/// How many threads libtorch and MKL compute with, through OpenMP's own variable. A fixed count belongs to a
/// bit-reproducible run: some sums are split by thread, so results differ by count (ci.toml's pretraining wrote other
/// weights on 1, 2 and 4 threads, the same on 2 twice).
/// A manifest's <c>threads</c> goes through the same channel as the user's shell, so child processes inherit it.
/// </summary>
public static class ThreadCount
{
    /// <summary>OpenMP's variable, read by libgomp when libtorch loads.</summary>
    public const string Variable = "OMP_NUM_THREADS";

    /// <summary>The largest count a manifest may ask for.</summary>
    public const int Max = 1024;

    /// <summary>
    /// Exports <paramref name="threads"/> unless the environment already names a count (the user's choice wins, as for
    /// <c>mkl_path</c>); where libtorch has loaded, <paramref name="setNow"/> applies it at once. Returns whether it was applied.
    /// </summary>
    public static bool Request(int threads, Func<string, string?> read, Action<string, string> write, Action<int>? setNow)
    {
        if (!string.IsNullOrWhiteSpace(read(Variable))) return false;
        write(Variable, threads.ToString(CultureInfo.InvariantCulture));
        setNow?.Invoke(threads);
        return true;
    }

    /// <summary><see cref="Request(int, Func{string, string?}, Action{string, string}, Action{int}?)"/> on this process.</summary>
    public static bool Request(int threads) =>
        Request(threads, Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable, TorchRuntime.IsLoaded ? torch.set_num_threads : null);

    /// <summary>
    /// After libtorch loads: a plain count in the environment is applied as it stands. libtorch sizes its pool by MKL's
    /// answer, which holds OpenMP's count to the physical cores, so without this 3 threads on 2 cores would silently be 2.
    /// </summary>
    internal static void AfterLoad()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out var threads)
            && threads is > 0 and <= Max && threads != torch.get_num_threads())
            torch.set_num_threads(threads);
    }

    /// <summary>Before libtorch loads: a count set in .NET's copy of the environment (a manifest's) reaches libgomp, which reads the C library's.</summary>
    internal static void BeforeLoad()
    {
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } threads)
            NativeEnvironment.Export(Variable, threads, overwrite: true);
    }
}
