namespace LoraPar.Analyzers.Tests;

public class TemporaryScalarMembersTests
{
    private static readonly string ListFile = Path.Combine(RepositoryRoot(), "src", "LoraPar.Analyzers", "TemporaryScalarMembers.txt");

    private const string Header = "# TorchSharp members that make a Scalar inside themselves (read from TorchSharp's IL; LORAPAR_REGEN=1 dotnet test tests/LoraPar.Analyzers.Tests)";

    /// <summary>
    /// The analyzer's list is what TorchSharp's IL says, no more and no less: a TorchSharp upgrade that adds or fixes a member
    /// fails here. <c>LORAPAR_REGEN=1</c> rewrites the list from the IL.
    /// </summary>
    [Fact]
    public void The_list_is_the_set_of_TorchSharp_members_whose_IL_makes_a_scalar()
    {
        var fromIl = TorchSharpIl.MembersMakingScalars();
        if (Environment.GetEnvironmentVariable("LORAPAR_REGEN") == "1")
            File.WriteAllLines(ListFile, [Header, .. fromIl]);
        var missing = fromIl.Except(TemporaryScalarMembers.All).ToArray();
        var extra = TemporaryScalarMembers.All.Except(fromIl).ToArray();
        Assert.True(missing.Length == 0 && extra.Length == 0,
            $"not listed: {string.Join("; ", missing)}\nlisted but not in the IL: {string.Join("; ", extra)}\n(LORAPAR_REGEN=1 rewrites {ListFile})");
    }

    [Theory]
    [InlineData("TorchSharp.torch+Tensor.op_Addition(Tensor,Tensor)")]   // a + b is add(b, alpha: 1)
    [InlineData("TorchSharp.torch+Tensor.square()")]                      // pow(2): the crash seen in CI
    [InlineData("TorchSharp.torch.arange(Scalar,Nullable`1,Device,Boolean)")]
    public void The_IL_scan_finds_the_members_read_by_hand(string member)
    {
        Assert.Contains(member, TorchSharpIl.MembersMakingScalars());
    }

    [Theory]
    [InlineData("TorchSharp.torch+Tensor.op_Subtraction(Tensor,Tensor)")]   // sub without α
    [InlineData("TorchSharp.torch+Tensor.mul(Scalar)")]
    [InlineData("TorchSharp.torch+Tensor.add(Tensor,Scalar)")]
    public void Members_that_pass_the_callers_scalar_straight_to_libtorch_are_not_listed(string member)
    {
        Assert.DoesNotContain(member, TemporaryScalarMembers.All);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LoraPar.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("LoraPar.slnx not found above " + AppContext.BaseDirectory);
    }
}
