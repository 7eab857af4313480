using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace LoraPar.Analyzers;

/// <summary>
/// The public TorchSharp members that make a Scalar inside themselves and pass it on unheld (<c>a + b</c> is
/// <c>add(b, alpha: 1)</c>, <c>x.square()</c> is <c>pow(2)</c>), one signature per line in
/// <c>TemporaryScalarMembers.txt</c>. The list is read from TorchSharp's IL by the analyzer's tests, which fail when a
/// TorchSharp upgrade adds or removes one.
/// </summary>
internal static class TemporaryScalarMembers
{
    public static readonly ImmutableHashSet<string> All = Load();

    /// <summary>
    /// <c>Namespace.Outer+Inner.name(ParamType,…)</c>, parameter types by their metadata names (<c>Nullable`1</c>,
    /// <c>Int64[]</c>): the same text reflection gives from <c>DeclaringType.FullName</c> and <c>ParameterType.Name</c>.
    /// </summary>
    public static string Signature(IMethodSymbol method) =>
        $"{TypeName(method.ContainingType)}.{method.MetadataName}({string.Join(",", method.Parameters.Select(Parameter))})";

    private static string Parameter(IParameterSymbol p) => ShortName(p.Type) + (p.RefKind == RefKind.None ? "" : "&");

    private static string ShortName(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => ShortName(array.ElementType) + "[" + new string(',', array.Rank - 1) + "]",
        IPointerTypeSymbol pointer => ShortName(pointer.PointedAtType) + "*",
        _ => type.MetadataName,
    };

    private static string TypeName(INamedTypeSymbol type) =>
        type.ContainingType is { } outer ? TypeName(outer) + "+" + type.MetadataName
        : type.ContainingNamespace.IsGlobalNamespace ? type.MetadataName
        : type.ContainingNamespace.ToDisplayString() + "." + type.MetadataName;

    private static ImmutableHashSet<string> Load()
    {
        using var stream = typeof(TemporaryScalarMembers).Assembly.GetManifestResourceStream("LoraPar.Analyzers.TemporaryScalarMembers.txt")
            ?? throw new InvalidOperationException("TemporaryScalarMembers.txt is not embedded in the analyzer");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("#")).ToImmutableHashSet();
    }
}
