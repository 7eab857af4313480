namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>
/// Generates the malformed-manifest corpus from every manifest in <c>experiments/</c> (the paper's included), deterministically
/// from a seed: value, key and syntax mutations per manifest, nesting, paths, <c>extends</c>, lists and run names, garbage files,
/// and the cases owned by section rules; the miniature twins are left out (<see cref="CorpusTree.Mutated"/>).
/// </summary>
public static class MalformedCorpusGenerator
{
    /// <summary>The corpus for <paramref name="seed"/>; names are unique.</summary>
    public static IReadOnlyList<CorpusCase> Generate(int seed)
    {
        var rng = new Random(seed);
        var manifests = CorpusTree.Mutated();
        var cases = new List<CorpusCase>();
        foreach (var m in manifests)
        {
            var perFamily = Math.Max(1, m.Text.Keys.Count / 15);
            cases.AddRange(ValueMutations.For(m, perFamily, rng));
            cases.AddRange(SyntaxMutations.For(m, 1 + perFamily, rng));
            cases.AddRange(PathCases.For(m, rng));
            cases.AddRange(ExtendsCases.For(m, rng));
        }
        foreach (var m in manifests.Where(m => m.Short is "quickstart.toml" or "ci.toml" or "paper/base.toml" or "paper/table4/gsm8k-base.toml"))
        {
            cases.AddRange(NestingCases.For(m));
            cases.AddRange(SemanticCases.For(m));
        }
        cases.AddRange(PathCases.Arguments());
        cases.AddRange(GarbageCases.For(manifests, rng));
        cases.AddRange(SemanticCases.SectionRules(manifests));
        return Deduplicate(cases);
    }

    /// <summary>Numbers repeated names (two draws of the same mutation) so that every case can be named alone.</summary>
    private static List<CorpusCase> Deduplicate(List<CorpusCase> cases)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return cases.Select(c =>
        {
            var n = seen[c.Name] = seen.GetValueOrDefault(c.Name) + 1;
            return n == 1 ? c : c with { Name = $"{c.Name} #{n}" };
        }).ToList();
    }
}
