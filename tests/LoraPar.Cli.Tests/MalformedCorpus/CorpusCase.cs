namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>The kind of malformation a corpus case exercises (the corpus reports its counts per category).</summary>
public enum CorpusCategory
{
    Syntax,
    WrongType,
    KeyTypo,
    EnumTypo,
    OutOfRange,
    NonFinite,
    HugeInteger,
    DeepNesting,
    MissingPath,
    WrongKindPath,
    UnsetVariable,
    Extends,
    Garbage,
    RunName,
    Lists,
    SectionRules,
}

/// <summary>Who makes a case pass: the generic loader (must pass now) or a section-specific rule (the section code's work).</summary>
public enum CorpusOwner
{
    Loader,
    SectionRules,
}

/// <summary>The verb a case runs: <c>run --dry-run</c>, or <c>status</c> where a dry run only warns (missing paths, unset variables).</summary>
public enum CorpusVerb
{
    DryRun,
    Status,
}

/// <summary>
/// One malformed manifest: the files it writes over (or beside) a copy of <c>experiments/</c>, the manifest the CLI is given,
/// and fragments one of the printed lines must contain (the key at fault), so that a case fails for the reason it was built for.
/// </summary>
/// <param name="Name">Readable, unique name: the manifest and the mutation.</param>
/// <param name="Category">What it exercises.</param>
/// <param name="Manifest">The manifest given to the CLI, relative to the copy's root (e.g. <c>experiments/ci.toml</c>).</param>
/// <param name="Files">Files written before the run (relative path → bytes); originals are restored afterwards.</param>
/// <param name="Expect">Fragments that must all appear in one stderr line (empty: any located line will do).</param>
/// <param name="Verb">The verb run.</param>
/// <param name="Owner">Who makes it pass.</param>
public sealed record CorpusCase(string Name, CorpusCategory Category, string Manifest, IReadOnlyDictionary<string, byte[]> Files,
    IReadOnlyList<string> Expect, CorpusVerb Verb = CorpusVerb.DryRun, CorpusOwner Owner = CorpusOwner.Loader)
{
    /// <inheritdoc />
    public override string ToString() => $"[{Category}] {Name}";
}
