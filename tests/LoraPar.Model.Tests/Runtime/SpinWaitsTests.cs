using LoraPar.Model.Runtime;

namespace LoraPar.Model.Tests.Runtime;

/// <summary>A process alone on the cores gets libgomp's bounded spinning waits, unless the user chose a wait variable.</summary>
public sealed class SpinWaitsTests
{
    [Fact]
    public void Without_a_choice_of_the_user_the_child_spins_for_a_bounded_count()
    {
        var variables = SpinWaits.ForChild(_ => null);
        Assert.Equal("ACTIVE", variables["OMP_WAIT_POLICY"]);
        Assert.Equal("100000", variables["GOMP_SPINCOUNT"]);
    }

    [Theory]
    [InlineData("OMP_WAIT_POLICY", "PASSIVE")]
    [InlineData("GOMP_SPINCOUNT", "0")]
    public void A_wait_variable_the_user_set_is_inherited_as_it_is(string name, string value)
    {
        Assert.Empty(SpinWaits.ForChild(n => n == name ? value : null));
        Assert.Contains($"{name}={value}", SpinWaits.Describe(n => n == name ? value : null));
    }

    [Fact]
    public void An_empty_value_counts_as_unset()
    {
        Assert.Equal("ACTIVE", SpinWaits.ForChild(n => n == "OMP_WAIT_POLICY" ? "" : null)["OMP_WAIT_POLICY"]);
        Assert.StartsWith("sleeping", SpinWaits.Describe(_ => ""));
    }
}
