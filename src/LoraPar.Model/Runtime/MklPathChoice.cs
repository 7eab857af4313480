namespace LoraPar.Model.Runtime;

/// <summary>
/// Which code path lorapar asks MKL (statically linked into libtorch, it computes every fp32 matmul on the CPU) to run.
/// Read once per process, before libtorch loads, from <see cref="MklPathChoices.Variable"/>; <c>lorapar --mkl-path</c> sets it.
/// </summary>
public enum MklPathChoice
{
    /// <summary>
    /// MKL's own choice, except that on an AMD CPU with AVX-512 lorapar answers MKL's CPU-vendor check "Intel" in-process,
    /// so MKL runs its AVX-512 kernels instead of the AVX2 ones it gives every non-Intel CPU. The default.
    /// </summary>
    Auto,

    /// <summary>The opt-out: MKL's own vendor check decides, untouched (AVX2 kernels on AMD).</summary>
    Vendor,

    /// <summary>
    /// The reproducibility switch: every CPU kernel on its AVX2 branch, so that CPU generations and vendors with AVX2 compute
    /// the same bits (on the same thread count). MKL runs its conditional numerical reproducibility branch (<c>MKL_CBWR=AVX2</c>;
    /// on AMD CPUs the vendor check is answered "Intel" as well, without which MKL ignores the branch there), ATen's own
    /// kernels are dispatched at AVX2 (<c>ATEN_CPU_CAPABILITY=avx2</c> unless the user set one), and lorapar's C# kernels
    /// run 256-bit vectors.
    /// </summary>
    Avx2,
}

/// <summary>Reads and spells <see cref="MklPathChoice"/>.</summary>
public static class MklPathChoices
{
    /// <summary>The environment variable: <c>auto</c> (default), <c>vendor</c> or <c>avx2</c>. Child processes inherit it.</summary>
    public const string Variable = "LORAPAR_MKL_PATH";

    /// <summary>The choice <paramref name="value"/> names (case-insensitive; empty means <see cref="MklPathChoice.Auto"/>).</summary>
    /// <exception cref="TorchRuntimeException">The value names no choice.</exception>
    public static MklPathChoice Parse(string? value) =>
        string.IsNullOrWhiteSpace(value) ? MklPathChoice.Auto
        : Enum.TryParse<MklPathChoice>(value.Trim(), ignoreCase: true, out var choice) && Enum.IsDefined(choice) ? choice
        : throw new TorchRuntimeException($"MKL path '{value}' ({Variable} or --mkl-path) is not one of: {string.Join(", ", Enum.GetValues<MklPathChoice>().Select(Name))}.");

    /// <summary>The lower-case name used by the variable and the CLI.</summary>
    public static string Name(MklPathChoice choice) => choice.ToString().ToLowerInvariant();

    /// <summary>The choice of this process's environment.</summary>
    public static MklPathChoice FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Variable));

    /// <summary>The path a run of a manifest asking for <paramref name="requested"/> takes: the environment's choice where it names one (it wins), else the manifest's, else <see cref="MklPathChoice.Auto"/>.</summary>
    public static MklPathChoice Effective(MklPathChoice? requested) =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)) ? requested ?? MklPathChoice.Auto : FromEnvironment();
}
