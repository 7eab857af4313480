using LoraPar.Core;
using LoraPar.Model.Runtime;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// The vector ISA of the kernels a baseline file was pinned on (<c>[meta] cpu_isa</c>, spelled as <see cref="CpuIdentity.IsaName"/>:
/// "AVX-512", "AVX2"). Long CPU runs such as the quickstart's 1,000 pretraining steps amplify last-bit differences, and
/// libtorch's and lorapar's CPU kernels differ by vector width, so pins taken on one ISA are not expected to hold on another;
/// <c>compare</c> says so before its table instead of leaving a user to wonder why cells fall outside their tolerance. On the
/// AVX2 reproducibility path (<see cref="MklPathChoice.Avx2"/>) every CPU with AVX-512 computes on AVX2 as well.
/// </summary>
public static class BaselineCpu
{
    /// <summary>The <c>[meta]</c> key naming the pinned kernels' vector ISA.</summary>
    public const string MetaKey = "cpu_isa";

    /// <summary>The widest ISA a run on <paramref name="cpu"/> computes with on <paramref name="path"/>.</summary>
    public static VectorIsa KernelIsa(CpuIdentity cpu, MklPathChoice path) =>
        path == MklPathChoice.Avx2 && cpu.Isa > VectorIsa.Avx2 ? VectorIsa.Avx2 : cpu.Isa;

    /// <summary>
    /// One line saying that <paramref name="baseline"/> was pinned on another ISA than <paramref name="here"/>, or null when it
    /// was pinned on the same one or does not say. A value that names no ISA is a <see cref="BadInputException"/>.
    /// </summary>
    public static string? Notice(BaselineFile baseline, VectorIsa here)
    {
        if (!baseline.Meta.TryGetValue(MetaKey, out var pinned) || pinned.Length == 0) return null;
        var names = Enum.GetValues<VectorIsa>().Select(CpuIdentity.IsaName).ToList();
        if (!names.Contains(pinned, StringComparer.OrdinalIgnoreCase))
            throw new BadInputException($"{baseline.Path}: [meta] {MetaKey} = \"{pinned}\": expected one of {string.Join(", ", names.Select(n => $"\"{n}\""))}");
        var name = CpuIdentity.IsaName(here);
        return string.Equals(pinned, name, StringComparison.OrdinalIgnoreCase) ? null
            : $"note: {Path.GetFileName(baseline.Path)} was pinned on {pinned} kernels, this run's are {name}: the kernels "
              + "differ by vector width and long runs amplify last-bit differences, so cells may fall outside their tolerance "
              + "(README, \"MKL's code path and reproducibility\")";
    }
}
