using System.Text.RegularExpressions;

namespace LoraPar.Pipeline.Tests.Stages.Sources;

/// <summary>
/// Which source files of <c>src/</c> a type's code can reach: a file depends on every file that declares a top-level type
/// it names (comments aside), and on the files declaring extension methods in the namespaces it sees (its own, their
/// parents, and those it imports). Coarse on purpose — a name shared by two types pulls in both — so that no dependency
/// is missed. The engine and the manifest are left out (see <see cref="Excluded"/>).
/// </summary>
internal sealed partial class SourceGraph
{
    private readonly Dictionary<string, string> _texts;                        // relative path → code without comments
    private readonly Dictionary<string, List<string>> _declaring = new();      // type name → files declaring it
    private readonly Dictionary<string, List<string>> _extensions = new();     // namespace → files declaring extension methods

    private SourceGraph(Dictionary<string, string> contents)
    {
        Contents = contents;
        _texts = contents.ToDictionary(kv => kv.Key, kv => CommentOrLiteral().Replace(kv.Value, m => m.Value[0] is '"' or '@' or '\'' ? m.Value : " "));
        foreach (var (path, text) in _texts)
        {
            foreach (Match m in TopLevelType().Matches(text)) Add(_declaring, m.Groups[1].Value, path);
            if (ExtensionMethod().IsMatch(text)) Add(_extensions, NamespaceOf(text), path);
        }
    }

    /// <summary>Every file read (relative path with '/', contents with line endings normalised to LF).</summary>
    public IReadOnlyDictionary<string, string> Contents { get; }

    /// <summary>
    /// Paths that are not a stage's code, with why: the manifest (the values a stage reads are hashed into its key as bound
    /// values), progress display (cosmetic), the engine at the roots of <c>LoraPar.Pipeline</c> and <c>Stages</c> (plans,
    /// keys, locks and artifact moves: it calls stages, and computes none of their outputs), the CLI, and bench suites.
    /// </summary>
    public static bool Excluded(string path) =>
        path.StartsWith("src/LoraPar.Pipeline/Manifest/", StringComparison.Ordinal)
        || path.StartsWith("src/LoraPar.Pipeline/Progress/", StringComparison.Ordinal)
        || path.StartsWith("src/LoraPar.Cli/", StringComparison.Ordinal)
        || path.Contains("/Benchmarks/", StringComparison.Ordinal)
        || Path.GetDirectoryName(path)!.Replace('\\', '/') is "src/LoraPar.Pipeline" or "src/LoraPar.Pipeline/Stages";

    /// <summary>Reads every C# file under <c><paramref name="root"/>/src</c> (build outputs and excluded paths aside).</summary>
    public static SourceGraph Load(string root)
    {
        var src = Path.Combine(root, "src");
        var contents = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal) && !Excluded(p))
            .ToDictionary(p => p, p => File.ReadAllText(Path.Combine(root, p)).Replace("\r\n", "\n").Replace('\r', '\n'), StringComparer.Ordinal);
        return new SourceGraph(contents);
    }

    /// <summary>The files declaring the top-level type <paramref name="typeName"/> (empty when none).</summary>
    public IReadOnlyList<string> Declaring(string typeName) => _declaring.GetValueOrDefault(typeName) ?? [];

    /// <summary>The files reachable from <paramref name="seeds"/>, the seeds included, in ordinal order.</summary>
    public IReadOnlyList<string> Closure(IEnumerable<string> seeds)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(seeds);
        while (pending.TryPop(out var file))
        {
            if (!seen.Add(file)) continue;
            foreach (var next in DirectDependencies(file)) if (!seen.Contains(next)) pending.Push(next);
        }
        return seen.Order(StringComparer.Ordinal).ToList();
    }

    private IEnumerable<string> DirectDependencies(string file)
    {
        var text = _texts[file];
        foreach (Match m in Identifier().Matches(text))
            foreach (var declaring in Declaring(m.Value)) yield return declaring;
        foreach (var ns in VisibleNamespaces(text))
            foreach (var declaring in _extensions.GetValueOrDefault(ns) ?? []) yield return declaring;
    }

    /// <summary>The file's namespace and its parents, and every namespace it imports.</summary>
    private static IEnumerable<string> VisibleNamespaces(string text)
    {
        var own = NamespaceOf(text);
        for (var ns = own; ns.Length > 0; ns = ns.Contains('.') ? ns[..ns.LastIndexOf('.')] : "") yield return ns;
        foreach (Match m in Using().Matches(text)) yield return m.Groups[1].Value;
    }

    private static string NamespaceOf(string text) => Namespace().Match(text) is { Success: true } m ? m.Groups[1].Value : "";

    private static void Add(Dictionary<string, List<string>> index, string key, string path)
    {
        if (!index.TryGetValue(key, out var list)) index[key] = list = [];
        if (!list.Contains(path)) list.Add(path);
    }

    /// <summary>String and character literals (kept, so that a "//" inside one is no comment) and comments (dropped).</summary>
    [GeneratedRegex(@"@""(?:""""|[^""])*""|""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n]){1,10}'|//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex CommentOrLiteral();

    [GeneratedRegex(@"^(?:(?:public|internal|file|static|sealed|abstract|partial|readonly|ref)\s+)*(?:record\s+struct|record\s+class|class|record|struct|enum|interface)\s+([A-Za-z_]\w*)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    [GeneratedRegex(@"\bstatic\s[^;{}=]*\(\s*this\s")]
    private static partial Regex ExtensionMethod();

    [GeneratedRegex(@"\b[A-Za-z_]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^using\s+(?:static\s+)?([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex Using();

    [GeneratedRegex(@"^namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex Namespace();
}
