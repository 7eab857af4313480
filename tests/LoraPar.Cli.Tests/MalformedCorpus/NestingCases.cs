namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>Deeply nested values (arrays, inline tables, dotted keys), at a depth Tomlyn refuses and at depths it accepts.</summary>
public static class NestingCases
{
    private static readonly int[] Depths = [10_000, 1_000, 100];

    /// <summary>Nesting cases for <paramref name="m"/>: at the top level, and as the value of a key the manifest sets.</summary>
    public static IEnumerable<CorpusCase> For(CorpusManifest m)
    {
        foreach (var depth in Depths)
        {
            yield return m.Case($"{depth} nested arrays", CorpusCategory.DeepNesting, m.Text.InsertBefore(0, "deep = " + Arrays(depth)));
            yield return m.Case($"{depth} nested inline tables", CorpusCategory.DeepNesting, m.Text.InsertBefore(0, "deep = " + Tables(depth)));
        }
        var dotted = string.Join('.', Enumerable.Repeat("a", 10_000));
        yield return m.Case("a dotted key of 10000 parts", CorpusCategory.DeepNesting, m.Text.InsertBefore(0, dotted + " = 1"));
        yield return m.Case("a header of 10000 parts", CorpusCategory.DeepNesting, m.Text.ReplaceLine(m.Text.Keys[^1].Index,
            m.Text.Line(m.Text.Keys[^1].Index) + $"\n[{dotted}]\nx = 1"));
        if (m.Text.Keys.FirstOrDefault(k => k.Kind is ValueKind.Integer or ValueKind.Float) is { } number)
            yield return m.Case($"{number.FullKey} = 10000 nested arrays", CorpusCategory.DeepNesting, m.Text.WithValue(number, Arrays(10_000)));
    }

    private static string Arrays(int depth) => new string('[', depth) + "1" + new string(']', depth);

    private static string Tables(int depth) => string.Concat(Enumerable.Repeat("{ a = ", depth)) + "1" + new string('}', depth);
}
