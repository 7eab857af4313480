using System.Text;
using LoraPar.Core;
using LoraPar.Pipeline.Manifest;
using Xunit.Abstractions;

namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>
/// The malformed-manifest corpus (issue 15): every case exits 2 with located one-line messages (at most 20 and an "and N more"
/// line), none exits 0, none prints a stack trace, none takes over 5 s. Failures are listed per case, counts per category.
/// </summary>
public sealed class MalformedCorpusTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 15;

    private readonly CorpusTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void The_corpus_is_deterministic_and_mutates_every_manifest_in_every_category()
    {
        var corpus = MalformedCorpusGenerator.Generate(Seed);
        Assert.True(corpus.Count >= 300, $"only {corpus.Count} cases");
        Assert.Equal(corpus.Select(c => c.Name), MalformedCorpusGenerator.Generate(Seed).Select(c => c.Name));
        Assert.Equal(corpus.Count, corpus.Select(c => c.Name).Distinct().Count());
        Assert.All(Enum.GetValues<CorpusCategory>(), category => Assert.Contains(corpus, c => c.Category == category));
        var mutated = corpus.SelectMany(c => c.Files.Keys.Append(c.Manifest)).ToHashSet();
        Assert.All(CorpusTree.Mutated(), m => Assert.Contains(m.Path, mutated));
        Assert.Null(Environment.GetEnvironmentVariable(PathCases.UnsetVariable));
        Assert.Null(Environment.GetEnvironmentVariable(SemanticCases.UnsetKey));
    }

    [Fact]
    public void Every_manifest_the_corpus_starts_from_is_valid()
    {
        foreach (var m in CorpusTree.Manifests())
            Assert.NotNull(ManifestLoader.Load(Path.Combine(_tree.Folder, m.Path), new ManifestLoadOptions(_tree.Folder, PathCheckMode.Warnings)).Manifest);
    }

    [Fact]
    public void Every_loader_case_exits_2_with_located_lines() => RunAll(CorpusOwner.Loader);

    [Fact]
    public void Every_section_rule_case_exits_2_with_located_lines() => RunAll(CorpusOwner.SectionRules);

    private void RunAll(CorpusOwner owner)
    {
        var corpus = MalformedCorpusGenerator.Generate(Seed).Where(c => c.Owner == owner).ToList();
        var failures = new List<(CorpusCase Case, string Problem)>();
        foreach (var c in corpus)
        {
            if (CorpusRunner.Judge(c, CorpusRunner.Run(_tree, c)) is { } problem) failures.Add((c, problem));
        }
        var report = Report(corpus, failures);
        output.WriteLine(report);
        Assert.True(failures.Count == 0, report);
    }

    private static string Report(IReadOnlyList<CorpusCase> corpus, IReadOnlyList<(CorpusCase Case, string Problem)> failures)
    {
        var text = new StringBuilder($"{corpus.Count - failures.Count} of {corpus.Count} cases answered right\n");
        foreach (var group in corpus.GroupBy(c => c.Category).OrderBy(g => g.Key))
        {
            var failed = failures.Count(f => f.Case.Category == group.Key);
            text.AppendLine($"  {group.Key,-14} {group.Count(),4} cases, {failed,3} wrong");
        }
        foreach (var (c, problem) in failures) text.AppendLine($"  {c}: {problem}");
        return text.ToString();
    }
}
