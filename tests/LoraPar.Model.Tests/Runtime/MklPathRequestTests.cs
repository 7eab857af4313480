using LoraPar.Model.Runtime;

namespace LoraPar.Model.Tests.Runtime;

public sealed class MklPathRequestTests
{
    [Theory]
    [InlineData(null, false, MklPathOutcome.Applied, "avx2")]
    [InlineData("", false, MklPathOutcome.Applied, "avx2")]
    [InlineData("auto", false, MklPathOutcome.Overridden, "auto")]   // LORAPAR_MKL_PATH or --mkl-path wins
    [InlineData(null, true, MklPathOutcome.TooLate, null)]           // libtorch already chose its kernels
    public void A_manifest_choice_is_exported_only_before_libtorch_loads_and_only_when_nothing_chose(string? existing, bool loaded,
        MklPathOutcome expected, string? after)
    {
        var env = new Dictionary<string, string?> { [MklPathChoices.Variable] = existing };
        var outcome = MklPathRequest.Apply(MklPathChoice.Avx2, name => env.GetValueOrDefault(name), (name, value) => env[name] = value, loaded);
        Assert.Equal(expected, outcome);
        Assert.Equal(after ?? existing, env[MklPathChoices.Variable]);
    }

    [Fact]
    public void A_run_takes_the_environments_path_where_it_names_one_else_the_manifests_else_auto()
    {
        var chosen = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(MklPathChoices.Variable));   // tests/test.runsettings sets avx2
        Assert.Equal(chosen ? MklPathChoices.FromEnvironment() : MklPathChoice.Vendor, MklPathChoices.Effective(MklPathChoice.Vendor));
        Assert.Equal(chosen ? MklPathChoices.FromEnvironment() : MklPathChoice.Auto, MklPathChoices.Effective(null));
    }
}
