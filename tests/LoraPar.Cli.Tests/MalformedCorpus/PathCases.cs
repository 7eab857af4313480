namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>
/// Paths that name nothing, the wrong kind of thing (a folder for a file, a file for a folder), or an unset <c>${VAR}</c>.
/// Missing paths and unset variables are only warnings for a dry run (the paper's checkpoints are not on every machine), so
/// those cases run <c>status</c>, which needs them.
/// </summary>
public static class PathCases
{
    /// <summary>An environment variable the corpus relies on being unset.</summary>
    public const string UnsetVariable = "LORAPAR_CORPUS_UNSET_VARIABLE";

    private static readonly (string Section, string Key)[] FileKeys =
        [("data", "train"), ("data", "eval"), ("report", "baseline"), ("eval.humaneval", "path")];

    private static readonly (string Section, string Key)[] FolderKeys = [("model", "path"), ("", "artifacts")];

    private static readonly (string Section, string Key)[] AnyKeys = [("eval.mmlu", "path"), ("eval.mmlu", "dev")];

    /// <summary>Path cases for <paramref name="m"/>: one missing, one unset variable, one folder for a file, one file for a folder.</summary>
    public static IEnumerable<CorpusCase> For(CorpusManifest m, Random rng)
    {
        var (section, key) = Draw(FileKeys.Concat(FolderKeys.Take(1)).Concat(AnyKeys).ToArray(), rng);
        yield return m.Case($"{Full(section, key)} names nothing", CorpusCategory.MissingPath, m.Text.WithKey(section, key, "\"no/such/thing\""),
            Full(section, key) + ":", "not found") with { Verb = CorpusVerb.Status };
        (section, key) = Draw(FileKeys.Concat(FolderKeys).Concat(AnyKeys).ToArray(), rng);
        yield return m.Case($"{Full(section, key)} uses an unset variable", CorpusCategory.UnsetVariable,
            m.Text.WithKey(section, key, $"\"${{{UnsetVariable}}}/x\""), Full(section, key) + ":", UnsetVariable) with { Verb = CorpusVerb.Status };
        (section, key) = Draw(FileKeys, rng);
        yield return m.Case($"{Full(section, key)} names a folder", CorpusCategory.WrongKindPath, m.Text.WithKey(section, key, "\".\""),
            Full(section, key) + ":", "folder");
        (section, key) = Draw(FolderKeys, rng);
        yield return m.Case($"{Full(section, key)} names a file", CorpusCategory.WrongKindPath,
            m.Text.WithKey(section, key, $"\"{Path.GetFileName(m.Path)}\""), Full(section, key) + ":", "file");
    }

    /// <summary>The manifest named on the command line does not exist, or is a folder.</summary>
    public static IEnumerable<CorpusCase> Arguments()
    {
        yield return new CorpusCase("the manifest does not exist", CorpusCategory.MissingPath, "experiments/absent.toml",
            new Dictionary<string, byte[]>(), ["absent.toml:", "not found"]);
        yield return new CorpusCase("the manifest is a folder", CorpusCategory.WrongKindPath, "experiments/paper",
            new Dictionary<string, byte[]>(), ["paper"]);
    }

    private static (string Section, string Key) Draw((string Section, string Key)[] keys, Random rng) => keys[rng.Next(keys.Length)];

    private static string Full(string section, string key) => section.Length == 0 ? key : $"{section}.{key}";
}
