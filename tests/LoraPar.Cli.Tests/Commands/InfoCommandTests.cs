using System.Runtime.Intrinsics.X86;

namespace LoraPar.Cli.Tests.Commands;

/// <summary>
/// <c>lorapar info</c> in child processes, whose native environment is set before libtorch loads: what libtorch itself
/// reports about its dispatch and threads must follow the variables lorapar sets or leaves to the user.
/// </summary>
public sealed class InfoCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lorapar-info-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static bool Avx2Host => OperatingSystem.IsLinux() && Avx2.IsSupported && Fma.IsSupported;

    [SkippableFact]
    public async Task The_avx2_path_holds_aten_at_avx2_on_any_avx2_cpu()
    {
        Skip.IfNot(Avx2Host);
        var stdout = await Info(new Dictionary<string, string?> { ["LORAPAR_MKL_PATH"] = "avx2", ["ATEN_CPU_CAPABILITY"] = null });
        Assert.Contains("aten         AVX2 [ATEN_CPU_CAPABILITY=avx2]", stdout);
        Assert.Contains("; aten avx2; c# 256-bit;", stdout);
    }

    [SkippableFact]
    public async Task Other_paths_leave_aten_on_the_cpus_widest_set()
    {
        Skip.IfNot(Avx2Host);
        var stdout = await Info(new Dictionary<string, string?> { ["LORAPAR_MKL_PATH"] = "vendor", ["ATEN_CPU_CAPABILITY"] = null });
        var widest = Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported ? "AVX512" : "AVX2";
        Assert.Contains($"aten         {widest} [ATEN_CPU_CAPABILITY=unset]", stdout);
    }

    [SkippableFact]
    public async Task The_users_capability_and_thread_count_win_and_libtorch_reports_them()
    {
        Skip.IfNot(Avx2Host);
        var stdout = await Info(new Dictionary<string, string?> { ["LORAPAR_MKL_PATH"] = "avx2", ["ATEN_CPU_CAPABILITY"] = "default", ["OMP_NUM_THREADS"] = "1" });
        Assert.Contains("aten         DEFAULT [ATEN_CPU_CAPABILITY=default]", stdout);   // libtorch's name for its scalar kernels
        Assert.Contains("; aten default; c# 256-bit; 1 threads", stdout);
        Assert.Contains("cpu threads  1", stdout);
    }

    private async Task<string> Info(Dictionary<string, string?> environment)
    {
        var (code, stdout, stderr) = await LoraparChild.RunToEnd(_dir, environment, "info");
        Assert.True(code == 0, stderr);
        return stdout;
    }
}
