using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp;

namespace LoraPar.Analyzers.Tests;

public class HeldScalarAnalyzerTests
{
    [Theory]
    [InlineData("x.add_(t, 2.0)", "2.0")]                                         // double → Scalar, then nothing holds it
    [InlineData("x.clamp_min(1)", "1")]
    [InlineData("x.masked_fill(t.gt(s), double.NegativeInfinity)", "double.NegativeInfinity")]
    [InlineData("x.mul(2.0.ToScalar())", "2.0.ToScalar()")]                      // a Scalar-returning call passed on
    [InlineData("x.mul((Scalar)3)", "(Scalar)3")]
    public void A_scalar_made_for_one_call_is_LP0001(string expression, string flagged)
    {
        var found = Analyze($"Tensor F(Tensor x, Tensor t, Scalar s) => {expression};");
        var diagnostic = Assert.Single(found);
        Assert.Equal("LP0001", diagnostic.Id);
        Assert.Equal(flagged, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public void A_scalar_in_a_plain_local_is_LP0001_the_local_dies_at_its_last_use()
    {
        var found = Analyze("Tensor F(Tensor x) { var s = 2.0.ToScalar(); return x.mul(s); }");
        Assert.Equal("LP0001", Assert.Single(found).Id);
    }

    [Theory]
    [InlineData("x + t", "torch+Tensor.op_Addition(Tensor,Tensor)")]
    [InlineData("x * 0.5", "torch+Tensor.op_Multiply(Tensor,Double)")]
    [InlineData("0.5 * x", "torch+Tensor.op_Multiply(Double,Tensor)")]
    [InlineData("x / 4L", "torch+Tensor.op_Division(Tensor,Int64)")]
    [InlineData("x.square()", "torch+Tensor.square()")]
    [InlineData("x.add_(t)", "torch+Tensor.add_(Tensor)")]
    [InlineData("torch.arange(s, s)", "torch.arange(Scalar,Scalar,Nullable`1,Device,Boolean)")]
    public void A_TorchSharp_member_that_makes_an_unheld_scalar_inside_itself_is_LP0002(string expression, string member)
    {
        var found = Analyze($"Tensor F(Tensor x, Tensor t, Scalar s) => {expression};");
        var diagnostic = Assert.Single(found);
        Assert.Equal("LP0002", diagnostic.Id);
        Assert.Contains("'TorchSharp." + member + "'", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("Tensor F(Tensor x) { using var s = 2.0.ToScalar(); return x.mul(s); }")]
    [InlineData("Tensor F(Tensor x) { using Scalar s = 2.0, one = 1; return x.add(s, one); }")]
    [InlineData("Tensor F(Tensor x) { using (Scalar s = 2.0) return x.mul(s); }")]
    [InlineData("Scalar Make(double v) => v;")]                                    // a factory: its caller must hold the result
    [InlineData("Scalar Make(double v) { return v.ToScalar(); }")]
    [InlineData("readonly Scalar half = 0.5; Tensor F(Tensor x) => x.mul(half);")] // a field: its owner holds it
    [InlineData("Tensor F(Tensor x, Tensor t, Scalar s) => x.add(t, s).mul(t).sub(t) - t;")]   // held α; sub, mul and - make none
    public void Held_scalars_and_members_that_make_none_pass(string member)
    {
        Assert.Empty(Analyze(member));
    }

    /// <summary>The analyzer's diagnostics on <paramref name="member"/> inside a class that sees TorchSharp; the snippet must otherwise compile.</summary>
    private static ImmutableArray<Diagnostic> Analyze(string member)
    {
        var source = $$"""
            using TorchSharp;
            using static TorchSharp.torch;
            class C { {{member}} }
            """;
        var compilation = CSharpCompilation.Create("snippet", [CSharpSyntaxTree.ParseText(source)], References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => e.ToString())));
        return compilation.WithAnalyzers([new HeldScalarAnalyzer()]).GetAnalyzerDiagnosticsAsync().Result;
    }

    private static IEnumerable<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Append(typeof(Scalar).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
}
