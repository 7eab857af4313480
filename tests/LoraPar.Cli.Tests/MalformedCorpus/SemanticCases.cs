namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>
/// Well-formed values that are still wrong: empty or repeated lists, unusable run names, and the cases only a section's own
/// rules can see (cross-field rules, recipe × data, memory, teachers' keys), which are <see cref="CorpusOwner.SectionRules"/>'s.
/// </summary>
public static class SemanticCases
{
    /// <summary>An API-key variable the corpus relies on being unset.</summary>
    public const string UnsetKey = "LORAPAR_CORPUS_UNSET_API_KEY";

    /// <summary>List and run-name cases for <paramref name="m"/>.</summary>
    public static IEnumerable<CorpusCase> For(CorpusManifest m)
    {
        foreach (var (key, item) in new[] { ("points", "\"base\""), ("benchmarks", BenchmarkOf(m)) })
        {
            yield return m.Case($"eval.{key} = []", CorpusCategory.Lists, m.Text.WithKey("eval", key, "[]"), $"eval.{key}:");
            yield return m.Case($"eval.{key} = [{item}, {item}]", CorpusCategory.Lists, m.Text.WithKey("eval", key, $"[{item}, {item}]"), $"eval.{key}:");
        }
        yield return m.Case("a run name with a slash", CorpusCategory.RunName, m.Text.WithKey("", "name", "\"a/b\""), "name:");
        yield return m.Case("an empty run name", CorpusCategory.RunName, m.Text.WithKey("", "name", "\"\""), "name:");
        yield return m.Case("a 101-character run name", CorpusCategory.RunName, m.Text.WithKey("", "name", $"\"{new string('n', 101)}\""), "name:")
            with { Owner = CorpusOwner.SectionRules };
        yield return m.Case("a 60000-character run name", CorpusCategory.RunName, m.Text.WithKey("", "name", $"\"{new string('n', 60_000)}\""), "name:")
            with { Owner = CorpusOwner.SectionRules };
        yield return m.Case("a 1 MB run name", CorpusCategory.RunName, m.Text.WithKey("", "name", $"\"{new string('n', 1 << 20)}\""), "larger than");
    }

    /// <summary>Cases for rules that need a section's knowledge, each on the manifest it suits.</summary>
    public static IEnumerable<CorpusCase> SectionRules(IReadOnlyList<CorpusManifest> manifests)
    {
        var ci = manifests.First(m => m.Short == "ci.toml");
        var dolly = manifests.First(m => m.Short == "paper/table4/dolly-base.toml");
        var cases = new[]
        {
            ci.Case("rl.num_iterations = 2 with max_steps = 3", CorpusCategory.SectionRules, ci.Text.WithKey("rl", "num_iterations", "2"), "rl."),
            ci.Case("sft.weight_decay = 1.5", CorpusCategory.SectionRules, ci.Text.WithKey("sft", "weight_decay", "1.5"), "sft.weight_decay:"),
            ci.Case("splitter.method = \"labels-file\" without labels", CorpusCategory.SectionRules,
                ci.Text.WithKey("splitter", "method", "\"labels-file\""), "splitter."),
            dolly.Case("instruction data in an RL recipe with no free-text reward weighted", CorpusCategory.SectionRules, dolly.Text.Append(
                "[rl.rewards]\ncorrectness = 0.0\nstrict_format = 0.0\nsoft_format = 0.0\nxml_tag_count = 0.0"), "rl.rewards.correctness:"),
            ci.Case("lora.r = 1000000", CorpusCategory.SectionRules, ci.Text.WithKey("lora", "r", "1000000"), "lora.r:", "memory"),
            ci.Case("model.tiny.layers = 100000000", CorpusCategory.SectionRules, ci.Text.WithKey("model.tiny", "layers", "100000000"), "model.tiny.layers:", "memory"),
            ci.Case("sft.batch_size = 100000000", CorpusCategory.SectionRules, ci.Text.WithKey("sft", "batch_size", "100000000"), "sft.batch_size:", "memory"),
            ci.Case("an openai teacher whose api_key_env is unset", CorpusCategory.SectionRules, ci.Text.Append(
                $"[[splitter.teachers]]\nkind = \"openai\"\nmodel = \"gpt-4o\"\nendpoint = \"https://example.invalid/v1\"\napi_key_env = \"{UnsetKey}\""),
                "api_key_env", UnsetKey) with { Verb = CorpusVerb.Status },
            ci.Case("an openai teacher whose endpoint is no URL", CorpusCategory.SectionRules, ci.Text.Append(
                "[[splitter.teachers]]\nkind = \"openai\"\nmodel = \"gpt-4o\"\nendpoint = \"not a url\""), "endpoint"),
        };
        return cases.Select(c => c with { Owner = CorpusOwner.SectionRules });
    }

    private static string BenchmarkOf(CorpusManifest m) =>
        m.Text.Keys.FirstOrDefault(k => k is { Section: "eval", Key: "benchmarks" }) is { } b ? b.Value.Trim('[', ']').Split(',')[0].Trim() : "\"gsm8k\"";
}
