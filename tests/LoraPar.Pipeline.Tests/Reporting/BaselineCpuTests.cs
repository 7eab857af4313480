using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Reporting;

namespace LoraPar.Pipeline.Tests.Reporting;

public sealed class BaselineCpuTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lorapar-baseline-cpu-").FullName;

    private static CpuIdentity Cpu(VectorIsa isa) => new(CpuVendor.Amd, "AMD EPYC", isa, isa == VectorIsa.Avx512);

    private BaselineFile Baseline(string meta)
    {
        var path = Path.Combine(_dir, "pins.toml");
        File.WriteAllText(path, $"[meta]\ncolumn = \"pinned\"\n{meta}\n");
        return BaselineFile.Load(path);
    }

    [Fact]
    public void A_baseline_pinned_on_another_ISA_gets_a_note_naming_both()
    {
        var note = BaselineCpu.Notice(Baseline("cpu_isa = \"AVX-512\""), VectorIsa.Avx2);
        Assert.NotNull(note);
        Assert.Contains("pins.toml was pinned on AVX-512 kernels, this run's are AVX2", note);
    }

    [Theory]
    [InlineData(VectorIsa.Avx512, MklPathChoice.Avx2, VectorIsa.Avx2)]     // the reproducibility path holds AVX-512 CPUs at AVX2
    [InlineData(VectorIsa.Avx512, MklPathChoice.Vendor, VectorIsa.Avx512)]
    [InlineData(VectorIsa.Avx512, MklPathChoice.Auto, VectorIsa.Avx512)]
    [InlineData(VectorIsa.Avx2, MklPathChoice.Avx2, VectorIsa.Avx2)]
    [InlineData(VectorIsa.Baseline, MklPathChoice.Avx2, VectorIsa.Baseline)]
    public void A_run_computes_on_the_cpus_widest_isa_except_on_the_avx2_path(VectorIsa cpu, MklPathChoice path, VectorIsa expected) =>
        Assert.Equal(expected, BaselineCpu.KernelIsa(Cpu(cpu), path));

    [Theory]
    [InlineData("cpu_isa = \"AVX-512\"", VectorIsa.Avx512)]
    [InlineData("cpu_isa = \"avx2\"", VectorIsa.Avx2)]
    [InlineData("", VectorIsa.Avx2)]
    public void The_same_ISA_or_no_statement_gets_no_note(string meta, VectorIsa isa) =>
        Assert.Null(BaselineCpu.Notice(Baseline(meta), isa));

    [Fact]
    public void A_value_that_names_no_ISA_is_refused_naming_the_accepted_spellings()
    {
        var e = Assert.Throws<LoraPar.Core.BadInputException>(() => BaselineCpu.Notice(Baseline("cpu_isa = \"AVX512\""), VectorIsa.Avx2));
        Assert.Contains("cpu_isa = \"AVX512\": expected one of", e.Message);
        Assert.Contains("\"AVX-512\"", e.Message);
    }

    [Theory]
    [InlineData("quickstart.toml")]
    [InlineData("robustness.toml")]
    [InlineData("robustness-estimators.toml")]
    [InlineData("robustness-bases.toml")]
    public void The_CPU_pinned_baselines_name_an_ISA_as_lorapar_spells_it(string file)
    {
        var baseline = BaselineFile.Load(Path.Combine(Regression.CiRun.RepositoryRoot(), "baselines", file));
        var names = Enum.GetValues<VectorIsa>().Select(CpuIdentity.IsaName);
        Assert.Contains(baseline.Meta[BaselineCpu.MetaKey], names);
    }

    [Theory]
    [InlineData("quickstart")]
    [InlineData("robustness")]
    [InlineData("robustness-estimators")]
    [InlineData("robustness-bases")]
    public void Each_pinned_manifest_runs_the_kernels_its_baseline_names_on_a_fixed_thread_count(string name)
    {
        var root = Regression.CiRun.RepositoryRoot();
        var manifest = LoraPar.Pipeline.Manifest.ManifestLoader.Load(Path.Combine(root, "experiments", name + ".toml"),
            new LoraPar.Pipeline.Manifest.ManifestLoadOptions(root, LoraPar.Pipeline.Manifest.PathCheckMode.Warnings, _ => null)).Manifest;
        var baseline = BaselineFile.Load(Path.Combine(root, "baselines", name + ".toml"));
        Assert.Equal(MklPathChoice.Avx2, manifest.MklPath);
        Assert.NotNull(manifest.Threads);
        foreach (var cpu in new[] { VectorIsa.Avx2, VectorIsa.Avx512 })   // the pins hold for both: no note on either CPU
            Assert.Null(BaselineCpu.Notice(baseline, BaselineCpu.KernelIsa(Cpu(cpu), MklPathChoice.Avx2)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
