using LoraPar.Model.Runtime;

namespace LoraPar.Model.Tests.Runtime;

public sealed class ThreadCountTests
{
    [Theory]
    [InlineData(null, false, true, "3", null)]
    [InlineData("", true, true, "3", 3)]           // libtorch loaded already: applied at once as well
    [InlineData("8", false, false, "8", null)]     // the user's OMP_NUM_THREADS wins
    [InlineData("8", true, false, "8", null)]
    public void A_manifest_count_is_exported_unless_the_environment_names_one_and_set_at_once_once_libtorch_loaded(
        string? existing, bool loaded, bool applied, string after, int? setNow)
    {
        var env = new Dictionary<string, string?> { [ThreadCount.Variable] = existing };
        int? set = null;
        var outcome = ThreadCount.Request(3, name => env.GetValueOrDefault(name), (name, value) => env[name] = value, loaded ? n => set = n : null);
        Assert.Equal(applied, outcome);
        Assert.Equal(after, env[ThreadCount.Variable]);
        Assert.Equal(setNow, set);
    }
}
