using LoraPar.Pipeline.Tests.Regression;

namespace LoraPar.Pipeline.Tests.Manifest;

public sealed class ManifestReferenceTests
{
    private static readonly string Committed = Path.Combine(CiRun.RepositoryRoot(), "docs", "manifest-reference.md");

    [Fact]
    public void The_committed_reference_matches_the_schema()
    {
        var generated = ManifestReference.Generate(CiRun.RepositoryRoot());
        if (Environment.GetEnvironmentVariable("LORAPAR_REGEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Committed)!);
            File.WriteAllText(Committed, generated);
            return;
        }
        Assert.True(File.Exists(Committed), $"{Committed} is missing: generate it with LORAPAR_REGEN=1 dotnet test tests/LoraPar.Pipeline.Tests --filter FullyQualifiedName~ManifestReferenceTests");
        Assert.True(File.ReadAllText(Committed) == generated,
            $"{Committed} drifted from the manifest schema: regenerate it with LORAPAR_REGEN=1 dotnet test tests/LoraPar.Pipeline.Tests --filter FullyQualifiedName~ManifestReferenceTests");
    }

    [Fact]
    public void The_reference_names_every_section_key_with_its_type_default_range_and_meaning()
    {
        var text = ManifestReference.Generate(CiRun.RepositoryRoot());
        Assert.Contains("## [data.columns]", text);
        Assert.Contains("| `chat_template` | one of `auto`, `none`, `llama2`, `chatml` | — | — |", text);
        Assert.Contains("| `theta` | float | `0.9` | ", text);
        Assert.Matches(@"\| `r` \| integer \| `8` \| [^|]*positive integer[^|]* \| ", text);
        Assert.Contains("| `dataset` | one of `gsm8k`, `dolly`, `platypus`, `code-alpaca`, `code-feedback`, `synthetic`, `question-answer`, `prompt-completion`, `messages` | `\"synthetic\"` |", text);
        Assert.DoesNotContain("|  |\n", text.Replace("| meaning |", ""));   // every key has a meaning
    }
}
